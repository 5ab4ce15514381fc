import type { IDataObject } from 'n8n-workflow';

import { boundsQuery, TimeBounds, type TimeReading } from '../../../nodes/ZohoSalesIq/transport/timeBounds';
import { node } from './fake-context';

/** Entries newest first at these times. */
const TIMES = [900, 800, 700, 700, 600, 500, 400, 300];
let originCount = 0;

/** A server that reads fromtime/totime one way (or ignores them), logging every query. */
function server(reading: TimeReading | 'ignores', times = TIMES) {
	const queries: IDataObject[] = [];
	const bounds = new TimeBounds<{ t: number }>({
		node,
		itemIndex: 0,
		noun: 'chats',
		timeOf: (e) => e.t,
		origin: async () => `http://127.0.0.1:${++originCount}`,
		send: async (qs) => {
			queries.push(qs);
			const from = qs.fromtime as number | undefined;
			const to = qs.totime as number | undefined;
			const [lower, upper] = reading === 'example' ? [to, from] : reading === 'prose' ? [from, to] : [undefined, undefined];
			return times.filter((t) => (lower === undefined || t >= lower) && (upper === undefined || t <= upper)).slice(0, qs.limit as number).map((t) => ({ t }));
		},
	});
	return { bounds, queries };
}

describe('time bounds: both readings of fromtime/totime', () => {
	it('encodes a window for each reading', () => {
		expect(boundsQuery('prose', 1, 2)).toEqual({ fromtime: 1, totime: 2 });
		expect(boundsQuery('example', 1, 2)).toEqual({ fromtime: 2, totime: 1 });
		expect(boundsQuery('example', undefined, 2)).toEqual({ fromtime: 2 });
	});

	it.each(['prose', 'example'] as const)('%s: the same entries, at most one extra request, and the reading is kept', async (reading) => {
		const { bounds, queries } = server(reading);
		expect((await bounds.fetch(400, 800, 10, { limit: 10 })).map((e) => e.t)).toEqual([800, 700, 700, 600, 500, 400]);
		expect(queries).toHaveLength(reading === 'prose' ? 1 : 2);
		expect(bounds.reading).toBe(reading);
		expect((await bounds.fetch(undefined, 600, 10, { limit: 10 })).map((e) => e.t)).toEqual([600, 500, 400, 300]);
		expect(queries).toHaveLength(reading === 'prose' ? 2 : 3);
	});

	it('an answer of one instant fits both readings: asks once the other way, and both agree', async () => {
		const { bounds, queries } = server('example', [700, 700]);
		expect((await bounds.fetch(undefined, 700, 10, { limit: 10 })).map((e) => e.t)).toEqual([700, 700]);
		expect(queries).toEqual([{ limit: 10, totime: 700 }, { limit: 10, fromtime: 700 }]);
		expect(bounds.reading).toBeUndefined();
	});

	it('an empty window under both readings is empty, after one extra request', async () => {
		const { bounds, queries } = server('prose');
		expect(await bounds.fetch(910, 990, 10, { limit: 10 })).toEqual([]);
		expect(queries).toHaveLength(2);
	});

	it('a server that keeps to neither reading is an error, not a list', async () => {
		const { bounds, queries } = server('ignores');
		await expect(bounds.fetch(400, 600, 10, { limit: 10 })).rejects.toThrow('SalesIQ ignored the time range while listing chats');
		expect(queries).toHaveLength(2);
	});
});
