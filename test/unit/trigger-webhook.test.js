// The trigger's webhook() as n8n calls it, with a stand-in for n8n's webhook context: which output
// an item lands on, and what a refused request is answered (status, reason, headers, no workflow).
const { configuredOutputs } = require('../../nodes/InstaMedTrigger/outputs.ts');
const { EVENTS } = require('../../nodes/InstaMedTrigger/events.ts');
const { messages, edgeMessages, serialise } = require('../../tools/sample-messages');
const { ALL_EVENTS, BASIC, callWebhook, landedOn, webhookContext } = require('./trigger-fakes');
const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');

test('with some events selected, the outputs are those events then Unrecognized', async () => {
	const events = ['paymentRefunded', 'paymentApproved'];
	const { body, contentType } = serialise('json', messages.paymentRefunded);
	const { result } = await callWebhook({ parameters: { events }, body, contentType });
	expect(configuredOutputs({ events }, EVENTS).map((output) => output.displayName)).toEqual([
		'Approved',
		'Refunded',
		'Unrecognized',
	]);
	expect(landedOn(result, events).name).toBe('Refunded');
});

test('a message no rule matches lands on Unrecognized, even with no event selected', async () => {
	const { body, contentType } = serialise('xml', edgeMessages.unrecognized);
	const { result } = await callWebhook({ parameters: { events: [] }, body, contentType });
	expect(landedOn(result, []).name).toBe('Unrecognized');
});

test('an event that is not selected is answered 200 without starting the workflow', async () => {
	const { body, contentType } = serialise('nvp', messages.paymentSettlement);
	const { result, res } = await callWebhook({
		parameters: { events: ['paymentApproved'] },
		body,
		contentType,
	});
	expect(result).toEqual({ noWebhookResponse: true });
	expect(res).toMatchObject({ statusCode: 200, body: 'OK: event not selected in this workflow' });
	expect(res.headers['x-instamed-answer']).toBe('not-selected');
});

describe('every answer leaves through the guard, marked with who decided it', () => {
	const approved = serialise('json', messages.paymentApproved);

	test.each(['whenConfirmed', 'whenLastNodeFinishes'])(
		"%s: a refusal is marked as the trigger's, an unselected event passes as its own 200",
		async (respond) => {
			const refused = await callWebhook({
				parameters: { respond, authentication: 'instaMedBasicApi' },
				...approved,
			});
			expect(refused.res.statusCode).toBe(401);
			expect(refused.res.headers['x-instamed-answer']).toBe('rejected');
			const other = await callWebhook({
				parameters: { respond, events: ['paymentDeclined'] },
				...approved,
			});
			expect(other.res).toMatchObject({
				statusCode: 200,
				headers: { 'x-instamed-answer': 'not-selected' },
			});
		},
	);

	test('the response is guarded on every path: refused, misconfigured, not selected, started', async () => {
		const paths = [
			{ parameters: { authentication: 'instaMedBasicApi' } },
			{ parameters: { routing: 'custom', rules: 'not json' } },
			{ parameters: { events: ['paymentDeclined'] } },
			{},
		];
		for (const options of paths) {
			const { res } = await callWebhook({ ...approved, ...options });
			const { end, writeHead } = Object.getPrototypeOf(res);
			expect([res.end === end, res.writeHead === writeHead]).toEqual([false, false]);
		}
	});

	test('a 2xx written by anyone but Confirm Stored on a started request becomes 500', async () => {
		const started = await callWebhook(approved);
		started.res.statusCode = 200;
		started.res.end();
		expect(started.res).toMatchObject({
			statusCode: 500,
			headers: { 'x-instamed-answer': 'not-confirmed' },
		});
		expect(started.warnings).toEqual([
			expect.stringMatching(/^InstaMed Trigger answered 500 instead of 200: Not stored: /),
		]);
	});

	test("n8n's own answers that pass are marked as n8n's", async () => {
		const lastNode = await callWebhook({
			...approved,
			parameters: { respond: 'whenLastNodeFinishes' },
		});
		lastNode.res.end();
		expect(lastNode.res).toMatchObject({
			statusCode: 200,
			headers: { 'x-instamed-answer': 'n8n' },
		});
		const failed = await callWebhook(approved);
		failed.res.statusCode = 500;
		failed.res.end('{"message":"Error in workflow"}');
		expect(failed.res).toMatchObject({ statusCode: 500, headers: { 'x-instamed-answer': 'n8n' } });
	});
});

describe('refusals are answered by the node, with no workflow data', () => {
	const approved = serialise('json', messages.paymentApproved);

	test('Basic without credentials: 401 with the challenge InstaMed expects', async () => {
		const { result, res } = await callWebhook({
			parameters: { authentication: 'instaMedBasicApi' },
			...approved,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({
			statusCode: 401,
			statusMessage: 'Authorization required',
			body: 'Authorization required',
		});
		expect(res.headers['www-authenticate']).toBe('Basic realm="InstaMed"');
	});

	test('Basic with the right credentials passes', async () => {
		const authorization = `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}`;
		const { result } = await callWebhook({
			parameters: { authentication: 'instaMedBasicApi' },
			headers: { authorization },
			...approved,
		});
		expect(landedOn(result, ALL_EVENTS).name).toBe('Approved');
	});

	test.each([
		['an empty password', { username: 'instamed', password: '' }, 'Password missing'],
		[
			'empty fields (Basic Og== would match)',
			{ username: '', password: '' },
			'Username missing; Password missing',
		],
		['a username with ":"', { username: 'insta:med', password: 'pw' }, 'Username contains ":"'],
	])(
		'Basic with %s: 500 misconfigured before any caller credentials, no workflow data',
		async (_name, credential, problems) => {
			const authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
			for (const headers of [{}, { authorization }]) {
				const { result, res } = await callWebhook({
					parameters: { authentication: 'instaMedBasicApi' },
					credentials: { instaMedBasicApi: credential },
					headers,
					...approved,
				});
				expect(result).toEqual({ noWebhookResponse: true });
				expect(res).toMatchObject({
					statusCode: 500,
					body: `InstaMed Trigger misconfigured: instaMedBasicApi credential: ${problems}`,
				});
			}
		},
	);

	test('OAuth2 JWT with an empty audience: 500 misconfigured naming the credential, no call made', async () => {
		const { context, res } = webhookContext({
			parameters: { authentication: 'instaMedOAuth2Api' },
			credentials: {
				instaMedOAuth2Api: {
					validation: 'jwt',
					jwksUrl: 'https://sso.example.test/pf/JWKS',
					issuer: 'https://sso.example.test',
					audience: '',
				},
			},
			headers: { authorization: 'Bearer abc.def.ghi' },
			...approved,
		});
		context.getNode = () => ({
			name: 'InstaMed Trigger',
			credentials: { instaMedOAuth2Api: { id: '1', name: 'InstaMed SSO' } },
		});
		let calls = 0;
		context.helpers = {
			httpRequest: async () => {
				calls++;
				return { statusCode: 500, body: '' };
			},
		};
		const result = await new InstaMedTrigger().webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({
			statusCode: 500,
			body: 'InstaMed Trigger misconfigured: InstaMed SSO credential: Audience missing',
		});
		expect(calls).toBe(0);
	});

	test('an address outside the allowlist: 403 naming it', async () => {
		const { result, res } = await callWebhook({
			parameters: { ipAllowlist: 'instamed' },
			...approved,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({ statusCode: 403, body: 'Address 203.0.113.10 not allowed' });
	});

	test('a malformed body: 400 with the reason as phrase and body, never the body itself', async () => {
		const { res, warnings } = await callWebhook({
			body: '{"PatientLastName":"Doe',
			contentType: 'application/json',
		});
		expect(res.statusCode).toBe(400);
		expect(res.statusMessage).toMatch(/^Malformed JSON/);
		expect(res.body).toBe(res.statusMessage);
		expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(JSON.stringify({ res, warnings })).not.toContain('Doe');
	});

	test('an NVP body cut short (no end marker): 400 naming the missing fields, no workflow', async () => {
		const { body } = serialise('nvp', messages.paymentApproved);
		const { result, res } = await callWebhook({
			body: body.slice(0, body.indexOf('CurrentTransactionStatusCode=')),
			contentType: 'application/x-www-form-urlencoded',
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({
			statusCode: 400,
			body: 'Missing required fields: CurrentTransactionStatusCode or PaymentPlanTransactionType, Amount',
		});
	});

	test('Required Fields emptied: the same cut body is accepted', async () => {
		const { body } = serialise('nvp', messages.paymentApproved);
		const { result } = await callWebhook({
			parameters: { settings: { requiredFields: '' } },
			body: body.slice(0, body.indexOf('CurrentTransactionStatusCode=')),
			contentType: 'application/x-www-form-urlencoded',
		});
		expect(landedOn(result, ALL_EVENTS).name).toBe('Unrecognized');
	});

	test('a body over the size limit: 413 before it is parsed', async () => {
		const { res } = await callWebhook({
			parameters: { settings: { maxBodyKb: 1 } },
			body: `{"AdditionalInfo1":"${'x'.repeat(2048)}"}`,
			contentType: 'application/json',
		});
		expect(res).toMatchObject({ statusCode: 413, body: 'Body too large: the limit is 1 KB' });
	});

	test('nothing connected after a production trigger: 503, so InstaMed retries', async () => {
		const { result, res } = await callWebhook({ ...approved, wiring: { outputs: [] } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res.statusCode).toBe(503);
		expect(res.body).toBe("Not stored: the trigger's Approved output is not connected to any step");
	});

	test("only another event's output connected: 503 for this one, in both answer modes", async () => {
		for (const respond of ['whenConfirmed', 'whenLastNodeFinishes']) {
			const { result, res } = await callWebhook({
				...approved,
				parameters: { respond },
				wiring: { outputs: [1] },
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(res.statusCode).toBe(503);
		}
	});

	test('storage without Confirm Stored: 503 when answering on confirmation, a run otherwise', async () => {
		const refused = await callWebhook({ ...approved, wiring: { confirm: false } });
		expect(refused.res.statusCode).toBe(503);
		expect(refused.res.body).toMatch(/no InstaMed Confirm Stored step follows/);
		const lastNode = await callWebhook({
			...approved,
			parameters: { respond: 'whenLastNodeFinishes' },
			wiring: { confirm: false },
		});
		expect(landedOn(lastNode.result, ALL_EVENTS).name).toBe('Approved');
	});

	test("a started run: a 2xx reaches InstaMed only with Confirm Stored's mark", async () => {
		const unconfirmed = await callWebhook(approved);
		expect(unconfirmed.result.workflowData).toBeDefined();
		unconfirmed.res.end();
		expect(unconfirmed.res.statusCode).toBe(500);
		expect(unconfirmed.res.body).toMatch(
			/^Not stored: the workflow ended without a Confirm Stored/,
		);

		const confirmed = await callWebhook(approved);
		confirmed.res.setHeader('x-instamed-answer', 'confirmed');
		confirmed.res.end('');
		expect(confirmed.res.statusCode).toBe(200);
	});

	test('a manual test run with nothing connected still shows the item', async () => {
		const { result } = await callWebhook({ ...approved, wiring: { outputs: [] }, mode: 'manual' });
		expect(landedOn(result, ALL_EVENTS).name).toBe('Approved');
	});

	test('invalid custom rules: 500 saying the trigger is misconfigured, so InstaMed retries', async () => {
		const { result, res } = await callWebhook({
			parameters: { routing: 'custom', rules: '[{"trigger": "paymentApproved"' },
			...approved,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res.statusCode).toBe(500);
		expect(res.body).toMatch(/^InstaMed Trigger misconfigured: Routing rules are not valid JSON/);
	});

	test('an unexpected failure is not called a misconfiguration; the log says where it came from', async () => {
		// Node's error for a connection reset while a request is read (ConnResetException).
		const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
		const { result, res, warnings, warningDetails } = await callWebhook({
			parameters: { authentication: 'instaMedBasicApi' },
			credentials: { instaMedBasicApi: reset },
			...approved,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({ statusCode: 500, body: 'InstaMed Trigger failed: aborted' });
		expect(warnings).toEqual([
			'InstaMed Trigger refused a request: 500 InstaMed Trigger failed: aborted',
		]);
		expect(warningDetails).toEqual([
			{ errorName: 'Error', errorCode: 'ECONNRESET', thrownAt: expect.stringMatching(/^at /) },
		]);
	});

	test("the trigger's own refusals are logged without error details", async () => {
		const { res, warningDetails } = await callWebhook({
			parameters: { authentication: 'instaMedBasicApi' },
			...approved,
		});
		expect(res.statusCode).toBe(401);
		expect(warningDetails).toEqual([]);
	});
});

describe('publishing: n8n asks checkExists, which refuses a workflow that could not store an event', () => {
	const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');
	const checkExists = (options) => {
		const { context } = webhookContext({ body: '{}', contentType: 'application/json', ...options });
		return new InstaMedTrigger().webhookMethods.default.checkExists.call(context);
	};

	test('every selected event stored and confirmed: published', async () => {
		await expect(checkExists({})).resolves.toBe(true);
	});

	test("a selected event's output not connected: refused with the reason its messages would get", async () => {
		await expect(
			checkExists({
				parameters: { events: ['paymentApproved', 'paymentDeclined'] },
				wiring: { outputs: [0] },
			}),
		).rejects.toThrow("Not stored: the trigger's Declined output is not connected to any step");
	});

	test('no Confirm Stored: refused when answering on confirmation, published when answering at the end', async () => {
		await expect(checkExists({ wiring: { confirm: false } })).rejects.toThrow(
			"Not stored: no InstaMed Confirm Stored step follows the trigger's Approved output",
		);
		await expect(
			checkExists({ parameters: { respond: 'whenLastNodeFinishes' }, wiring: { confirm: false } }),
		).resolves.toBe(true);
	});

	test('Unrecognized left unconnected, or a test listener: published', async () => {
		const selected = ['paymentApproved'];
		await expect(
			checkExists({ parameters: { events: selected }, wiring: { outputs: [0] } }),
		).resolves.toBe(true);
		await expect(checkExists({ wiring: { outputs: [] }, mode: 'manual' })).resolves.toBe(true);
	});
});

describe('client certificate through a proxy, wired from the parameters', () => {
	const SECRET = 'proxy-secret-0123456789';
	const SUBJECT = 'CN=instamed-webhooks,O=InstaMed,C=US';
	const parameters = {
		ipAllowlist: 'custom',
		allowedIps: '34.236.206.189',
		clientCertificate: 'proxyHeaders',
		trustedProxies: '127.0.0.1',
		allowedSubject: SUBJECT,
		requireProxySecret: true,
		proxyHeaderName: 'X-InstaMed-Proxy',
		settings: { includeHeaders: true },
	};
	const viaProxy = (extra = {}) => ({
		...serialise('json', messages.paymentApproved),
		parameters,
		peer: '127.0.0.1',
		credentials: { instaMedProxySecretApi: { secret: SECRET } },
		headers: {
			'x-forwarded-for': '34.236.206.189',
			'x-ssl-client-verify': 'SUCCESS',
			'x-ssl-client-s-dn': SUBJECT,
			'x-instamed-proxy': SECRET,
			...extra,
		},
	});

	test('accepted; the secret header never reaches the item', async () => {
		const { result } = await callWebhook(viaProxy());
		const { item } = landedOn(result, ALL_EVENTS);
		expect(item.request.headers['x-instamed-proxy']).toBe('[redacted]');
		expect(JSON.stringify(item)).not.toContain(SECRET);
	});

	test.each([
		['Require Proxy Secret off', { requireProxySecret: false }],
		['no client certificate check at all', { clientCertificate: 'off', ipAllowlist: 'off' }],
	])('%s: the secret header sent anyway never reaches the item', async (_name, change) => {
		const { result } = await callWebhook({
			...viaProxy(),
			parameters: { ...parameters, ...change },
		});
		const { item } = landedOn(result, ALL_EVENTS);
		expect(item.request.headers['x-instamed-proxy']).toBe('[redacted]');
		expect(JSON.stringify(item)).not.toContain(SECRET);
	});

	test('without Include Request Headers the item keeps only the caller address', async () => {
		const { result } = await callWebhook({
			...viaProxy(),
			parameters: { ...parameters, settings: {} },
		});
		const { item } = landedOn(result, ALL_EVENTS);
		expect(Object.keys(item.request)).toEqual(['ip']);
	});

	test.each([
		['a wrong secret', { 'x-instamed-proxy': 'nope' }, 'Proxy secret wrong'],
		['another client', { 'x-forwarded-for': '198.51.100.7' }, 'Address 198.51.100.7 not allowed'],
	])('%s: 403, no workflow data, nothing logged of the secret', async (_name, extra, reason) => {
		const { result, res, warnings } = await callWebhook(viaProxy(extra));
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res).toMatchObject({ statusCode: 403, body: reason });
		expect(JSON.stringify(warnings)).not.toContain(SECRET);
	});

	test('an invalid secret header name is a configuration error (500)', async () => {
		const { res } = await callWebhook({
			...viaProxy(),
			parameters: { ...parameters, proxyHeaderName: 'X Bad' },
		});
		expect(res.statusCode).toBe(500);
		expect(res.body).toMatch(/^InstaMed Trigger misconfigured: "X Bad" is not a valid header name/);
	});
});
