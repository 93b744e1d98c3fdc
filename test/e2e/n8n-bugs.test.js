// n8n bugs that answered 2xx to a run that stored nothing, pinned on the n8n under test
// (N8N_VERSION; harness/versions.js reads from the installed n8n whether it has each): the answer
// InstaMed gets is never 2xx, and the x-instamed-answer mark says who decided it: `not-confirmed`
// where the answer guard replaced n8n's 200, `n8n` where n8n itself answered the error.
const { installedDifferences, N8N_VERSION } = require('../../harness/versions');
const { paths } = require('../../harness/install');
const { messages } = require('../../tools/sample-messages');
const { sharedN8n, mark, send } = require('./support/e2e');

const { e2e } = sharedN8n();
const queue = e2e.state.queue;
// Regular mode: issues 21827/25340 (response-node mode); queue mode: issue 17040.
const bug = queue ? 'n8n#17040' : 'n8n#21827';
const hasBug = installedDifferences(paths().n8nDir).bugs[bug];

test(`${bug} (n8n ${N8N_VERSION}${hasBug ? ', which has it' : ', fixed'}, ${queue ? 'queue' : 'regular'} mode): a run that fails before Confirm Stored is never answered 2xx`, async () => {
	const fields = mark(messages.paymentApproved, e2e.marker('n8n-bug-fails-before-confirm'));
	const answer = await send(e2e.url('ackFailsBeforeConfirm'), 'json', fields);
	expect(answer.status).toBe(500);
	if (hasBug) {
		// n8n answered 200 with no body; the guard turned it into this.
		expect(answer.answeredBy).toBe('not-confirmed');
		expect(answer.reason).toMatch(/^Not stored: the workflow ended without a Confirm Stored step/);
	} else {
		expect(answer.answeredBy).toBe('n8n');
	}
});
