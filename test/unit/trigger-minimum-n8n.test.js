// Below the oldest n8n it supports, the trigger says so: every call is answered 500 with the
// minimum, before it reads or runs anything, and publishing is refused with the same message.
const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');
const { MINIMUM_N8N } = require('../../nodes/InstaMedTrigger/n8n/minimumN8n.ts');
const { webhookContext } = require('./trigger-fakes');

const JSON_BODY =
	'{"PaymentTransactionID":"T1","TransactionAction":"Sale","TransactionType":"CreditCard","CurrentTransactionStatusCode":"C","Amount":"1.00"}';

/** The context as an n8n older than the minimum gives it: no getConnections on node contexts. */
function olderN8n(context) {
	const { getConnections: _dropped, ...rest } = context;
	return rest;
}

describe(`n8n older than ${MINIMUM_N8N}`, () => {
	test('a call is answered 500 naming the minimum, with no run', async () => {
		const { context, res } = webhookContext({ body: JSON_BODY, contentType: 'application/json' });
		const result = await new InstaMedTrigger().webhook.call(olderN8n(context));
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res.statusCode).toBe(500);
		expect(res.body).toBe(`InstaMed Trigger needs n8n >= ${MINIMUM_N8N}`);
		expect(res.getHeader('x-instamed-answer')).toBe('rejected');
	});

	test('publishing is refused with the same message (the editor shows it)', async () => {
		const { context } = webhookContext({ body: '' });
		const checkExists = new InstaMedTrigger().webhookMethods.default.checkExists;
		await expect(checkExists.call(olderN8n(context))).rejects.toThrow(
			`InstaMed Trigger needs n8n >= ${MINIMUM_N8N}`,
		);
	});

	test('the same call on a supported n8n is not refused for the version', async () => {
		const { context, res } = webhookContext({ body: JSON_BODY, contentType: 'application/json' });
		const result = await new InstaMedTrigger().webhook.call(context);
		expect(result.workflowData).toBeDefined();
		expect(res.body).toBeUndefined();
	});
});
