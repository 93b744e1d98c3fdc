// n8n bugs that answered 2xx to a run that stored nothing, pinned on the n8n under test
// (N8N_VERSION; harness/versions.js lists which versions have each): the answer InstaMed gets is
// never 2xx, and the x-instamed-answer mark says who decided it: `not-confirmed` where the answer
// guard replaced n8n's 200, `n8n` where n8n itself answered the error.
const { hasN8nBug, selected } = require('../../harness/versions');
const { messages } = require('../../tools/sample-messages');
const { sharedN8n, mark, send } = require('./support/e2e');

const { e2e } = sharedN8n();
const mode = e2e.state.queue ? 'queue' : 'regular';

test(`n8n issues 21827/25340 (n8n ${selected.n8nVersion}, ${mode} mode): a run that fails before Confirm Stored is never answered 2xx`, async () => {
	const fields = mark(messages.paymentApproved, e2e.marker('n8n-bug-21827'));
	const answer = await send(e2e.url('ackFailsBeforeConfirm'), 'json', fields);
	expect(answer.status).toBe(500);
	const bug = hasN8nBug('n8n#21827', selected.n8nVersion, mode);
	if (bug === true) {
		// n8n answered 200 with no body; the guard turned it into this.
		expect(answer.answeredBy).toBe('not-confirmed');
		expect(answer.reason).toMatch(/^Not stored: the workflow ended without a Confirm Stored step/);
	}
	if (bug === false) expect(answer.answeredBy).toBe('n8n');
});
