// The trigger's webhook: path and response mode resolved by n8n without its expression engine
// when n8n-workflow offers it, with templates that give the same values in the editor.
const {
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
} = require('n8n-workflow');
const {
	instaMedWebhook,
	nativeFieldsAvailable,
} = require('../../nodes/InstaMedTrigger/webhookDescription.ts');

/** What n8n's engine would make of a `={{ … }}` template that only reads $parameter. */
function evaluateTemplate(template, parameters) {
	const body = template.slice('={{'.length, -'}}'.length);
	return new Function('$parameter', `return (${body});`)(parameters);
}

describe('the webhook description', () => {
	const webhook = instaMedWebhook();

	test('the pinned n8n-workflow resolves it natively', () => {
		expect(nativeFieldsAvailable()).toBe(true);
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	test.each([
		[{ path: 'instamed', respond: 'whenConfirmed' }],
		[{ path: '', respond: 'whenLastNodeFinishes' }],
		[{ path: 'a/b' }],
	])('resolver and template agree for %j', (parameters) => {
		for (const field of ['path', 'responseMode']) {
			const native = resolveWebhookDescriptionField({ parameters }, webhook, field);
			expect(native.resolved).toBe(true);
			expect(native.value).toEqual(evaluateTemplate(webhook[field], parameters));
		}
	});

	test('a parameter holding an expression leaves it to n8n', () => {
		const parameters = { path: '={{ "x" }}', respond: 'whenConfirmed' };
		expect(resolveWebhookDescriptionField({ parameters }, webhook, 'path').resolved).toBe(false);
	});

	test('fixed fields stay plain values', () => {
		expect(webhook).toMatchObject({
			name: 'default',
			httpMethod: 'POST',
			responseData: 'noData',
			isFullPath: true,
		});
	});
});
