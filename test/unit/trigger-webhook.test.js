// The trigger's webhook() as n8n calls it, with a stand-in for n8n's webhook context: which output
// an item lands on, and what a refused request is answered (status, reason, headers, no workflow).
const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');
const { configuredOutputs } = require('../../nodes/InstaMedTrigger/outputs.ts');
const { EVENTS } = require('../../nodes/InstaMedTrigger/events.ts');
const { messages, edgeMessages, formats, serialise } = require('../fixtures/messages.js');

const ALL_EVENTS = EVENTS.filter((event) => event.key !== 'unrecognized').map((event) => event.key);
const BASIC = { username: 'instamed', password: 'correct horse' };

/** The parts of express's response the trigger writes a refusal with. */
function fakeResponse() {
	return {
		statusCode: 200,
		statusMessage: '',
		headersSent: false,
		headers: {},
		body: undefined,
		setHeader(name, value) {
			this.headers[name.toLowerCase()] = value;
		},
		end(body) {
			this.body = body;
			this.headersSent = true;
		},
	};
}

function webhookContext({
	parameters = {},
	body,
	contentType,
	headers = {},
	mode = 'webhook',
	children = 1,
}) {
	const values = { events: ALL_EVENTS, authentication: 'none', ...parameters };
	const req = {
		ip: '203.0.113.10',
		headers: { 'content-type': contentType, ...headers },
		rawBody: Buffer.from(body),
	};
	const res = fakeResponse();
	const warnings = [];
	const context = {
		getNodeParameter: (name, fallback) => (name in values ? values[name] : fallback),
		getRequestObject: () => req,
		getResponseObject: () => res,
		getCredentials: async () => BASIC,
		getMode: () => mode,
		getNode: () => ({ name: 'InstaMed Trigger' }),
		getChildNodes: () => Array.from({ length: children }, (_, i) => ({ name: `Store ${i}` })),
		logger: { warn: (message) => warnings.push(message) },
		helpers: {},
	};
	return { context, res, warnings };
}

async function callWebhook(options) {
	const { context, res, warnings } = webhookContext(options);
	const result = await new InstaMedTrigger().webhook.call(context);
	return { result, res, warnings };
}

/** The output names n8n shows for these parameters, and the index of the one holding the item. */
function landedOn(result, events) {
	const names = configuredOutputs({ events }, EVENTS).map((output) => output.displayName);
	expect(result.workflowData).toHaveLength(names.length);
	const filled = result.workflowData.flatMap((items, index) => (items.length ? [index] : []));
	expect(filled).toHaveLength(1);
	expect(result.workflowData[filled[0]]).toHaveLength(1);
	return { name: names[filled[0]], item: result.workflowData[filled[0]][0].json };
}

describe.each(Object.entries(messages))('%s', (event, fields) => {
	test.each(formats)('in %s lands on its own output', async (format) => {
		const { body, contentType } = serialise(format, fields);
		const { result } = await callWebhook({ body, contentType });
		const { name, item } = landedOn(result, ALL_EVENTS);
		const expected = EVENTS.find((candidate) => candidate.key === event);
		expect(name).toBe(expected.name);
		expect(item).toMatchObject({ event, trigger: expected.trigger, format });
	});
});

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

	test('a body over the size limit: 413 before it is parsed', async () => {
		const { res } = await callWebhook({
			parameters: { settings: { maxBodyKb: 1 } },
			body: `{"AdditionalInfo1":"${'x'.repeat(2048)}"}`,
			contentType: 'application/json',
		});
		expect(res).toMatchObject({ statusCode: 413, body: 'Body too large: the limit is 1 KB' });
	});

	test('nothing connected after a production trigger: 503, so InstaMed retries', async () => {
		const { result, res } = await callWebhook({ ...approved, children: 0 });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(res.statusCode).toBe(503);
	});

	test('a manual test run with nothing connected still shows the item', async () => {
		const { result } = await callWebhook({ ...approved, children: 0, mode: 'manual' });
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
});
