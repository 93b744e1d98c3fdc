// The trigger reads the body itself (n8n leaves it unread for it): a Content-Encoding is refused
// before anything touches the body, since n8n's reader would inflate it first (issue 20).
const { readRequestBody } = require('../../nodes/InstaMedTrigger/requestBody.ts');
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');

/** A request as n8n hands it over: the body is read only when readRawBody is called. */
function request(headers, body = Buffer.from('{"Amount":"1.00"}')) {
	const req = {
		headers,
		reads: 0,
		async readRawBody() {
			req.reads++;
			req.rawBody = body;
		},
	};
	return req;
}

async function rejectionOf(promise) {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(WebhookRejection);
		return { status: error.status, reason: error.reason };
	}
	throw new Error('expected a rejection');
}

test.each(['gzip', 'deflate', 'br', 'x-gzip', 'GZIP', 'gzip, identity', ['identity', 'gzip']])(
	'Content-Encoding %p: 415 before the body is read',
	async (encoding) => {
		const req = request({ 'content-encoding': encoding, 'content-length': '20' });
		expect(await rejectionOf(readRequestBody(req, 512 * 1024))).toEqual({
			status: 415,
			reason: 'Compressed bodies are not accepted: send the body with no Content-Encoding',
		});
		expect(req.reads).toBe(0);
		expect(req.rawBody).toBeUndefined();
	},
);

test.each([undefined, '', 'identity', ' Identity '])(
	'Content-Encoding %p: the body is read as sent',
	async (encoding) => {
		const req = request(encoding === undefined ? {} : { 'content-encoding': encoding });
		expect((await readRequestBody(req, 512 * 1024)).toString()).toBe('{"Amount":"1.00"}');
		expect(req.reads).toBe(1);
	},
);

test('a declared length over the limit: 413 before the body is read', async () => {
	const req = request({ 'content-length': String(600 * 1024) });
	expect((await rejectionOf(readRequestBody(req, 512 * 1024))).status).toBe(413);
	expect(req.reads).toBe(0);
});
