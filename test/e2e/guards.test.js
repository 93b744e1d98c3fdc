// What the trigger refuses or lets pass before any storage, in a real n8n started with
// N8N_PROXY_HOPS=1 (so the client address comes from X-Forwarded-For, as behind a proxy):
// IP allowlists, malformed bodies, unselected events, and the editor's test URL.

const { messages, serialise } = require('../../tools/sample-messages');
const {
	sharedN8n,
	mark,
	send,
	sendRaw,
	waitForExecutions,
	executionsAfterSettling,
	tableRowsMarked,
	MARKER_FIELD,
} = require('./support/e2e');

const { e2e, rest } = sharedN8n();
const TABLE = e2e.state.tables.events.name;

const from = (address) => ({ 'x-forwarded-for': address });

async function sendMarked(
	scenario,
	label,
	headers,
	{ trigger = 'paymentApproved', format = 'json', url } = {},
) {
	const fields = mark(messages[trigger], e2e.marker(label));
	const answer = await send(url ?? e2e.url(scenario), format, fields, headers);
	return { answer, marker: fields[MARKER_FIELD] };
}

async function expectNothingRecorded(scenario, before, marker) {
	expect(await executionsAfterSettling(rest, e2e.scenario(scenario).id)).toBe(before);
	if (marker) expect(await tableRowsMarked(rest, TABLE, marker)).toHaveLength(0);
}

async function expectStoredOnce(scenario, before, marker) {
	const workflowId = e2e.scenario(scenario).id;
	expect(await waitForExecutions(rest, workflowId, before + 1)).toBe(before + 1);
	expect(await tableRowsMarked(rest, TABLE, marker)).toHaveLength(1);
}

describe('IP allowlist behind a proxy (N8N_PROXY_HOPS=1, X-Forwarded-For)', () => {
	test.each([
		['allowlistCustom', '203.0.113.7', 'custom, listed address'],
		['allowlistCustom', '198.51.100.42', 'custom, inside a listed CIDR range'],
		['allowlistInstaMed', '52.0.168.18', "InstaMed's published list"],
	])('%s: %s (%s) -> 200 and stored', async (scenario, address, label) => {
		const before = await rest.countExecutions(e2e.scenario(scenario).id);
		const { answer, marker } = await sendMarked(scenario, `allow-${address}`, from(address));
		expect(answer.status).toBe(200);
		await expectStoredOnce(scenario, before, marker);
	});

	test.each([
		['allowlistCustom', '192.0.2.10'],
		['allowlistInstaMed', '8.8.8.8'],
		['allowlistInstaMed', '52.0.168.19'],
	])('%s: %s -> 403, no execution, nothing stored', async (scenario, address) => {
		const before = await rest.countExecutions(e2e.scenario(scenario).id);
		const { answer, marker } = await sendMarked(scenario, `deny-${address}`, from(address));
		expect(answer.status).toBe(403);
		await expectNothingRecorded(scenario, before, marker);
	});

	test('no X-Forwarded-For: the proxy-less caller (127.0.0.1) is not listed -> 403', async () => {
		const before = await rest.countExecutions(e2e.scenario('allowlistCustom').id);
		const { answer, marker } = await sendMarked('allowlistCustom', 'deny-direct', {});
		expect(answer.status).toBe(403);
		await expectNothingRecorded('allowlistCustom', before, marker);
	});
});

describe('malformed bodies -> 4xx, no execution, nothing stored, n8n still healthy', () => {
	const approved = messages.paymentApproved;
	const validXml = serialise('xml', approved).body;
	const validNvp = serialise('nvp', approved).body;
	const cases = [
		['truncated JSON', '{"PaymentTransactionID": "7E1C', 'application/json'],
		['JSON that is not an object', '["PaymentTransactionID"]', 'application/json'],
		[
			'XML with a missing end tag',
			validXml.replace('</PaymentTransactionNotification>', ''),
			'application/xml',
		],
		['XML with two roots', '<a><b>1</b></a><c/>', 'text/xml'],
		['empty body', '', 'application/json'],
		['form body with no fields', '&&&', 'application/x-www-form-urlencoded'],
		[
			'a form body cut short before Amount (NVP has no end marker)',
			validNvp.slice(0, validNvp.indexOf('&Amount=')),
			'application/x-www-form-urlencoded',
		],
		['an unsupported Content-Type', 'PaymentTransactionID,Amount\n1,2', 'text/csv'],
		['a body over the size limit', `{"Filler":"${'x'.repeat(600 * 1024)}"}`, 'application/json'],
	];

	test.each(cases)('%s', async (_label, body, contentType) => {
		const workflowId = e2e.scenario('selected').id;
		const before = await rest.countExecutions(workflowId);
		const answer = await sendRaw(e2e.url('selected'), body, contentType);
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
		await expectNothingRecorded('selected', before);
		const health = await fetch(`${e2e.state.baseUrl}/healthz`);
		expect(health.status).toBe(200);
	});
});

describe('a message for an event the workflow did not select', () => {
	test.each(['json', 'xml', 'nvp'])('%s -> 200, no execution, nothing stored', async (format) => {
		const before = await rest.countExecutions(e2e.scenario('selected').id);
		const { answer, marker } = await sendMarked(
			'selected',
			`unselected-${format}`,
			{},
			{
				trigger: 'paymentRefunded',
				format,
			},
		);
		expect(answer.status).toBe(200);
		await expectNothingRecorded('selected', before, marker);
	});

	test('a selected event on the same workflow -> 200 and stored', async () => {
		const before = await rest.countExecutions(e2e.scenario('selected').id);
		const { answer, marker } = await sendMarked(
			'selected',
			'selected-declined',
			{},
			{
				trigger: 'paymentDeclined',
			},
		);
		expect(answer.status).toBe(200);
		await expectStoredOnce('selected', before, marker);
	});
});

describe('the test URL ("Listen for test event")', () => {
	test('armed through the REST API like the editor does -> 200, a manual execution, stored', async () => {
		const { id } = e2e.scenario('selected');
		const before = await rest.countExecutions(id);
		await rest.armTestWebhook(id, 'InstaMed Trigger');
		const { answer, marker } = await sendMarked(
			'selected',
			'test-url',
			{},
			{
				format: 'xml',
				url: e2e.testUrl('selected'),
			},
		);
		expect(answer.status).toBe(200);
		await expectStoredOnce('selected', before, marker);
		const [latest] = await rest.executions(id);
		expect(latest.mode).toBe('manual');
	});

	test('not armed -> 404 from n8n, nothing stored', async () => {
		const { answer, marker } = await sendMarked(
			'selected',
			'test-url-unarmed',
			{},
			{
				url: e2e.testUrl('selected'),
			},
		);
		expect(answer.status).toBe(404);
		expect(await tableRowsMarked(rest, TABLE, marker)).toHaveLength(0);
	});
});
