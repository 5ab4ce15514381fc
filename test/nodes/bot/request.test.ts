/** How the Bot Trigger reads SalesIQ's bot requests, whose nested fields Zoho does not show verbatim. */
import { readBotRequest } from '../../../nodes/ZohoSalesIq/bot/request';

describe('readBotRequest', () => {
	it('refuses bodies without a known handler', () => {
		expect(readBotRequest({})).toBeUndefined();
		expect(readBotRequest({ handler: 'failure' })).toBeUndefined();
		expect(readBotRequest({ event: 'conversation.created' })).toBeUndefined();
	});

	it('reads other spellings of the visitor fields and ids', () => {
		const item = readBotRequest({
			handler: 'message',
			message: 'plain text',
			request_id: 'r-9',
			visitor: { visitor_id: 7, email_id: 'a@example.com', phone_number: '123', conversation_id: '19000000033103', page_url: 'https://x.example/a', page_title: 'A' },
		})!;
		expect(item).toEqual(
			expect.objectContaining({
				text: 'plain text',
				requestId: 'r-9',
				conversationId: '19000000033103',
				visitor: expect.objectContaining({ id: '7', email: 'a@example.com', phone: '123', page: { url: 'https://x.example/a', title: 'A' } }),
			}),
		);
	});

	it('keeps going when visitor, request and message are missing or of the wrong type', () => {
		const item = readBotRequest({ handler: 'context', visitor: 'x', request: [1], answers: { city: { text: 'Oslo' } }, context_id: 'ctx', attachments: 'none' })!;
		expect(item).toEqual(
			expect.objectContaining({ handler: 'context', text: '', requestId: '', conversationId: '', attachments: [], answers: { city: { text: 'Oslo' } }, contextId: 'ctx' }),
		);
		expect(item.visitor).toEqual({ id: '', name: '', email: '', phone: '', conversationId: '', channel: '', language: '', page: { url: '', title: '' } });
	});
});
