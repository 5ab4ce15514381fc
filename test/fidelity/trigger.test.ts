/**
 * The trigger's whole lifecycle (activate, signed delivery, redelivery, deactivate) under every value
 * of each variant that touches it, then under all non-default values at once.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { sandboxFor, triggerFor, triggerParameters } from '../trigger/setup';
import { casesFor, caseTitle, type FidelityCase, TRIGGER, variantsOf } from './points';
import { normalized, refreshes } from './support';

interface Lifecycle {
	output: unknown;
	calls: string[];
	writes: number;
	refreshes: number;
}

const callOf = (sb: Sandbox, hookIds: string[]) => (r: { method: string; path: string }) => {
	let path = r.path.replace(`/api/v2/${sb.screenName}`, '');
	hookIds.forEach((id, i) => (path = path.split(id).join(`<webhook ${i}>`)));
	return `${r.method} ${path}`;
};

/** Activates, delivers one signed event and its redelivery, deactivates; with `lostWebhook`, first loses the webhook out of band. */
async function lifecycle(sb: Sandbox, trigger: TriggerHarness, lostWebhook: boolean): Promise<Lifecycle> {
	const hookIds: string[] = [];
	if (lostWebhook) {
		// SalesIQ answers "not found" (1019) for the stored webhook: the trigger creates a new one.
		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		hookIds.push(sb.webhooks()[0].id);
		await fetch(`${sb.url}/api/v2/${sb.screenName}/webhooks/${hookIds[0]}`, { method: 'DELETE', headers: { authorization: `Bearer ${sb.accessToken}` } });
	}
	expect(await trigger.activate()).toEqual({ existed: false, created: true });
	const [hook] = sb.webhooks();
	hookIds.push(hook.id);
	expect(hook.public_keys).toHaveLength(1);
	expect(trigger.staticData().publicKeys).toEqual([hook.public_keys[0].key]);

	const chat = sb.dataset.chats.find((c) => c.end_time && c.attender_name)!;
	const [first] = await sb.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id });
	const [again] = await sb.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id, attempt: 2 });
	expect([first.status, again.status]).toEqual([200, 200]);
	const delivered = sb.deliveries();
	expect(delivered.every((d) => typeof d.headers['x-siqsignature'] === 'string')).toBe(true);
	expect(trigger.executions()).toHaveLength(1);
	const [item] = trigger.emitted();
	const json = item.json as IDataObject;
	// Every digit of the brand id survives, whether it came as a string or a 17-digit number.
	expect(json.app_id).toBe(chat.embed_id);
	expect(json.webhook_id).toBe(hook.id);

	await trigger.deactivate();
	expect(sb.webhooks()).toEqual([]);
	const api = sb.requests().filter((r) => r.path.startsWith('/api/'));
	expect(api.every((r) => r.headers.authorization === `Bearer ${sb.accessToken}`)).toBe(true);
	return {
		output: normalized(sb, trigger.emitted().map((i) => ({ ...i.json, webhook_id: '<webhook>' }))),
		calls: api.map(callOf(sb, hookIds)),
		writes: sb.writes().length,
		refreshes: refreshes(sb),
	};
}

async function run(variants: Record<string, string>, lostWebhook: boolean): Promise<Lifecycle> {
	const sb = await sandboxFor({ variants });
	const trigger = await triggerFor(sb, triggerParameters({ events: ['conversation.completed'] }));
	try {
		return await lifecycle(sb, trigger, lostWebhook);
	} finally {
		await trigger.stop();
		await sb.stop();
	}
}

let baseline: Lifecycle | undefined;

describe(`fidelity: ${TRIGGER}`, () => {
	beforeAll(async () => {
		baseline = await run({}, false);
	});

	it('the default run subscribes, reads the key from the keys answer, and deletes', () => {
		expect(baseline?.calls).toEqual([
			'GET /apps',
			'GET /webhooks',
			'GET /apps',
			'POST /webhooks',
			'POST /webhooks/<webhook 0>/keys',
			'DELETE /webhooks/<webhook 0>',
		]);
		expect([baseline?.writes, baseline?.refreshes]).toEqual([3, 0]);
	});

	it.each(casesFor(TRIGGER).map((c) => [caseTitle(c), c] as const))('%s', async (_title, c: FidelityCase) => {
		const variants = variantsOf(c);
		const lost = c.variant === 'errors' || c.variant === 'all';
		const got = await run(variants, lost);
		expect(got.output).toEqual(baseline?.output);
		expect(got.refreshes).toBe(0);
		const omitted = variants['webhook-keys'] === 'omitted';
		const create = (n: number) => [
			'GET /apps',
			'POST /webhooks',
			// Keys not listed in the create answer: the details are read before a key is added.
			...(omitted ? [`GET /webhooks/<webhook ${n}>`] : []),
			`POST /webhooks/<webhook ${n}>/keys`,
		];
		const expected = lost
			? [
					'GET /apps',
					'GET /webhooks',
					...create(0),
					'DELETE /webhooks/<webhook 0>',
					'GET /apps',
					'GET /webhooks/<webhook 0>',
					'GET /webhooks',
					...create(1),
					'DELETE /webhooks/<webhook 1>',
				]
			: ['GET /apps', 'GET /webhooks', ...create(0), 'DELETE /webhooks/<webhook 0>'];
		expect(got.calls).toEqual(expected);
		expect(got.writes).toBe(lost ? 6 : 3);
	}, 60_000);
});
