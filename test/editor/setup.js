// What the editor test runs against: the demo's real n8n (this package from its tarball) with the
// example workflows, plus a local OAuth issuer and the InstaMed Connect emulator, so every
// credential's Test has something real to call.
const path = require('node:path');
const { startN8n } = require('../../harness/n8n');
const { EVENTS_TABLE, prepareWorkflow, readWorkflow } = require('../../harness/workflows');
const { startOAuthIssuer } = require('../../harness/oauth-issuer');
const { createConnectEmulator } = require('../../tools/connect-emulator');
const { REPO } = require('../../harness/package');
const { EXAMPLE_CREDENTIALS, credential, nodeCredentials } = require('../../harness/credentials');

const BASIC = { username: 'instamed-editor', password: 'Editor-Basic-Secret-1' };
const REFS = EXAMPLE_CREDENTIALS;

const example = (name) => readWorkflow(path.join(REPO, 'examples', `${name}.json`));

/** A trigger with every option group visible: OAuth2, custom rules, custom IPs, proxy certificate. */
function allOptionsWorkflow() {
	const workflow = prepareWorkflow(example('instamed-to-data-table'), {
		id: 'editorAllOptions',
		name: 'Editor: trigger with every option',
		path: 'editor-all-options',
	});
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.instaMedTrigger'));
	Object.assign(trigger.parameters, {
		authentication: 'instaMedOAuth2Api',
		routing: 'custom',
		ipAllowlist: 'custom',
		clientCertificate: 'proxyHeaders',
		settings: { includeRawBody: true, omitCardData: false, maxBodyKb: 256 },
	});
	trigger.credentials = nodeCredentials(REFS.oauth);
	return workflow;
}

async function startEditorEnvironment() {
	const issuer = await startOAuthIssuer();
	const emulator = createConnectEmulator();
	const emulatorUrl = await emulator.start();
	const credentials = [
		credential(REFS.basic, BASIC),
		credential(REFS.oauth, issuer.credentialData('jwt')),
		credential(REFS.connect, { ...emulator.config, baseUrl: emulatorUrl }),
	];
	const workflows = [
		prepareWorkflow(example('instamed-to-data-table'), { path: 'editor-data-table' }),
		prepareWorkflow(example('instamed-auto-refund'), { path: 'editor-auto-refund' }),
		allOptionsWorkflow(),
	];
	// The auto-refund example accepts only InstaMed's addresses; published here it is only looked at.
	const n8n = await startN8n({ workflows, credentials, dataTables: [EVENTS_TABLE] });
	return {
		n8n,
		issuer,
		emulator,
		workflows,
		basic: BASIC,
		refs: REFS,
		async stop() {
			await n8n.stop({ removeUserFolder: true });
			await issuer.close();
			await emulator.stop();
		},
	};
}

module.exports = { startEditorEnvironment };
