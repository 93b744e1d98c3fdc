// The harness itself, with n8n's own Webhook node: if these fail, look at the harness (install,
// import, publish, start) before looking at the InstaMed Trigger.

const { sharedN8n, waitForExecutions } = require('./support/e2e');
const { UNPUBLISHED } = require('./support/catalog');

const { e2e, rest } = sharedN8n();

test('n8n answers /healthz', async () => {
	const res = await fetch(`${e2e.state.baseUrl}/healthz`);
	expect(res.status).toBe(200);
});

test("n8n's Webhook node, imported by the CLI and published, runs and is counted", async () => {
	const { id } = e2e.scenario('probe');
	const before = await rest.countExecutions(id);
	const res = await fetch(e2e.url('probe'), {
		method: 'POST',
		body: '{}',
		headers: { 'content-type': 'application/json' },
	});
	expect(res.status).toBe(200);
	expect(await waitForExecutions(rest, id, before + 1)).toBe(before + 1);
});

// Those the catalog leaves unpublished are a test's own to publish (and see refused), so not checked.
test('every scenario workflow is published (active) in n8n, but those left unpublished on purpose', async () => {
	for (const [name, { id }] of Object.entries(e2e.state.scenarios)) {
		if (UNPUBLISHED.includes(name)) continue;
		const workflow = await rest.workflow(id);
		expect({ name, active: workflow.active }).toEqual({ name, active: true });
	}
});
