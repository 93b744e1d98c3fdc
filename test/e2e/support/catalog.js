// Every workflow and credential the end-to-end tests use, all imported into ONE shared n8n
// (started by global-setup.js): each scenario has its own workflow id and webhook path, so tests
// count executions and find rows per scenario without restarting n8n.
const { randomBytes, randomUUID } = require('node:crypto');
const {
	EVENTS_TABLE,
	TRIGGER_TYPE,
	loadExample,
	prepareWorkflow,
	webhookPath,
} = require('../../../harness/workflows');
const { postgresCredential } = require('../../../harness/postgres');
const {
	CREDENTIALS,
	authenticatedBy,
	credential,
	nodeCredentials,
} = require('../../../harness/credentials');

const CLOSED_PORT = 9;

// n8n's Data Table node finds a table by name with LIKE '%name%', most recently updated first
// (n8n-nodes-base DataTable/common/utils.js resolveDataTableId), so no other table's name may
// contain "instamed_events" while the examples write to it by name.
const FAULT_TABLE = { ...EVENTS_TABLE, name: 'instamed_storage_fault' };
const ACK_TABLE = { ...EVENTS_TABLE, name: 'e2e_acknowledged' };
// A table no test creates: a storage step writing into it fails.
const MISSING_TABLE = 'e2e_missing_table';

// An address outside the allowlist, and one inside it (documentation ranges).
const ALLOWED_CUSTOM = '203.0.113.7, 198.51.100.0/24';

/** Secrets of one run, made by global setup and handed to the tests in the state file. */
function newRunSettings() {
	return {
		runId: randomBytes(4).toString('hex'),
		basic: { username: 'instamed-e2e', password: randomBytes(12).toString('base64url') },
		proxySecret: randomBytes(18).toString('base64url'),
	};
}

// The OAuth2 tests run their own issuer (harness/oauth-issuer.js, on a random port) and
// point these credentials at it through n8n's REST API; until then they name no issuer.
const UNCONFIGURED_OAUTH = {
	issuer: 'http://127.0.0.1:9',
	audience: 'unconfigured',
	cacheSeconds: 0,
};

/** The credential holding the secret nginx sets in X-Proxy-Secret. */
function proxySecretCredential(secret) {
	return credential(CREDENTIALS.proxySecret, { secret });
}

// Client certificates through a real nginx (test/e2e/client-certificate-proxy.test.js): InstaMed
// is 127.0.0.2, nginx reaches n8n from 127.0.0.1, the certificate is made at test time with this
// subject (nginx's $ssl_client_s_dn form).
const CERTIFICATE_CLIENT_ADDRESS = '127.0.0.2';
const CERTIFICATE_SUBJECT = 'CN=instamed-webhooks,O=InstaMed Test,C=US';

/** The data-table example behind nginx: allowlist + client certificate + proxy secret together. */
function certificateProxyWorkflow({ id, path, allowedFingerprints = '' }) {
	return prepareWorkflow(table, {
		id,
		path,
		triggerParameters: {
			authentication: 'none',
			ipAllowlist: 'custom',
			allowedIps: CERTIFICATE_CLIENT_ADDRESS,
			clientCertificate: 'proxyHeaders',
			trustedProxies: '127.0.0.1, ::1',
			allowedSubject: CERTIFICATE_SUBJECT,
			allowedFingerprints,
			requireProxySecret: true,
			proxyHeaderName: 'X-Proxy-Secret',
		},
		credentials: nodeCredentials(CREDENTIALS.proxySecret),
	});
}

function credentials({ basic, postgres, proxySecret }) {
	return [
		proxySecretCredential(proxySecret),
		credential(CREDENTIALS.basic, basic),
		credential(CREDENTIALS.jwt, { ...UNCONFIGURED_OAUTH, validation: 'jwt' }),
		credential(CREDENTIALS.introspection, { ...UNCONFIGURED_OAUTH, validation: 'introspection' }),
		postgresCredential(CREDENTIALS.postgres, postgres),
		postgresCredential(CREDENTIALS.postgresDown, { ...postgres, port: CLOSED_PORT }),
	];
}

const table = loadExample('instamed-to-data-table');
const pg = loadExample('instamed-to-postgres');
const basicAuth = { credentials: nodeCredentials(CREDENTIALS.basic) };

/** n8n's own Webhook node alone: proves the harness (import, publish, count) apart from the trigger. */
const probe = {
	id: 'e2eHarnessProbe1',
	name: 'probe',
	nodes: [
		{
			id: 'c1d2e3f4-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			parameters: {
				httpMethod: 'POST',
				path: 'e2e-probe',
				responseMode: 'onReceived',
				options: {},
			},
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

const node = (name, type, typeVersion, parameters, extra = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [0, 0],
	parameters,
	...extra,
});
const to = (...names) => names.map((name) => ({ node: name, type: 'main', index: 0 }));
const exampleStore = table.nodes.find((candidate) => candidate.name === 'Store event');
const storeInto = (tableName, extra = {}) => ({
	...structuredClone(exampleStore),
	id: randomUUID(),
	...extra,
	parameters: {
		...structuredClone(exampleStore.parameters),
		dataTableId: { __rl: true, mode: 'name', value: tableName },
	},
});
const confirmStored = node('Confirm stored', 'n8n-nodes-instamed.instaMed', 1, {
	resource: 'notification',
	operation: 'confirmStored',
});
const refuse = node('Refuse', 'n8n-nodes-instamed.instaMed', 1, {
	resource: 'notification',
	operation: 'refuse',
});
/** The trigger with no authentication, `events` selected (default all), answering as `respond` says. */
const openTrigger = (path, respond = 'whenConfirmed', events = undefined) =>
	node('InstaMed Trigger', TRIGGER_TYPE, 1, {
		path,
		authentication: 'none',
		respond,
		...(events ? { events } : {}),
	});
const OUTPUTS = 11;
const allOutputsTo = (name) => Array.from({ length: OUTPUTS }, () => to(name));

/**
 * How InstaMed is answered (Confirm Stored, Refuse, the answer guard), each scenario a workflow
 * of its own around n8n's Data Table, so it runs on embedded defaults.
 */
function acknowledgementWorkflows() {
	const build = (id, path, nodes, connections, respond, events) => ({
		id,
		name: id,
		nodes: [openTrigger(path, respond, events), ...nodes],
		connections,
		settings: { executionOrder: 'v1' },
	});
	const stop = node('CRM push fails', 'n8n-nodes-base.stopAndError', 1, {
		errorMessage: 'CRM unreachable (test)',
	});
	const slow = node('Slow CRM push', 'n8n-nodes-base.wait', 1.1, {
		resume: 'timeInterval',
		amount: 25,
		unit: 'seconds',
	});
	const never = node('Never true', 'n8n-nodes-base.if', 2.2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: [
				{
					id: randomUUID(),
					leftValue: 'never',
					rightValue: 'true',
					operator: { type: 'string', operation: 'equals' },
				},
			],
			combinator: 'and',
		},
		options: {},
	});
	return {
		// Payment Approved selected and connected (output 0); Unrecognized (output 1) is not. n8n
		// publishes it: a workflow need not expect messages no rule matches.
		ackPartial: build(
			'e2eAckPartial001',
			'e2e-ack-partial',
			[storeInto(ACK_TABLE.name), confirmStored],
			{
				'InstaMed Trigger': { main: [to('Store event')] },
				'Store event': { main: [to('Confirm stored')] },
			},
			'whenConfirmed',
			['paymentApproved'],
		),
		ackLastNodePartial: build(
			'e2eAckLastNode01',
			'e2e-ack-last-node',
			[storeInto(ACK_TABLE.name)],
			{ 'InstaMed Trigger': { main: [to('Store event')] } },
			'whenLastNodeFinishes',
			['paymentApproved'],
		),
		// Left unpublished (UNPUBLISHED): n8n refuses to publish it, every selected event lacking
		// a Confirm Stored step.
		ackNoConfirm: build('e2eAckNoConfirm1', 'e2e-ack-no-confirm', [storeInto(ACK_TABLE.name)], {
			'InstaMed Trigger': { main: allOutputsTo('Store event') },
		}),
		// Store -> Confirm -> a step that fails / a 25 s step.
		ackThenFail: build(
			'e2eAckThenFail01',
			'e2e-ack-then-fail',
			[storeInto(ACK_TABLE.name), confirmStored, stop],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Confirm stored')] },
				'Confirm stored': { main: [to('CRM push fails')] },
			},
		),
		ackThenSlow: build(
			'e2eAckThenSlow01',
			'e2e-ack-then-slow',
			[storeInto(ACK_TABLE.name), confirmStored, slow],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Confirm stored')] },
				'Confirm stored': { main: [to('Slow CRM push')] },
			},
		),
		// The storage step fails on Continue On Fail (regular output) into Confirm Stored.
		ackContinueOnFail: build(
			'e2eAckContinue01',
			'e2e-ack-continue-on-fail',
			[storeInto(MISSING_TABLE, { onError: 'continueRegularOutput' }), confirmStored],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Confirm stored')] },
			},
		),
		// The storage step's error output wired to Confirm Stored by mistake.
		ackErrorToConfirm: build(
			'e2eAckErrToConf1',
			'e2e-ack-error-to-confirm',
			[storeInto(MISSING_TABLE, { onError: 'continueErrorOutput' }), confirmStored, refuse],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Refuse'), to('Confirm stored')] },
			},
		),
		// The storage step fails the run (no error output) before Confirm Stored: n8n issues
		// 21827 / 25340 (test/e2e/n8n-bugs.test.js).
		ackFailsBeforeConfirm: build(
			'e2eAckFailBefor1',
			'e2e-ack-fails-before-confirm',
			// n8n's default on error (the example's step sends errors to an output instead).
			[storeInto(MISSING_TABLE, { onError: 'stopWorkflow' }), confirmStored],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Confirm stored')] },
			},
		),
		// Confirm Stored is wired, but this run never reaches it: n8n's own answer is 200.
		ackNotReached: build(
			'e2eAckNotReach01',
			'e2e-ack-not-reached',
			[storeInto(ACK_TABLE.name), never, confirmStored],
			{
				'InstaMed Trigger': { main: allOutputsTo('Store event') },
				'Store event': { main: [to('Never true')] },
				'Never true': { main: [to('Confirm stored'), []] },
			},
		),
	};
}

/** Scenario name -> workflow (prepared for the shared instance). */
function workflows() {
	const acknowledgement = Object.fromEntries(
		Object.entries(acknowledgementWorkflows()).map(([name, workflow]) => [
			name,
			prepareWorkflow(workflow),
		]),
	);
	const scenarios = {
		...acknowledgement,
		probe: prepareWorkflow(probe, { id: probe.id }),
		// Example 1 as shipped: Basic auth, every event, n8n's Data Table.
		table: prepareWorkflow(table, { id: 'e2eTableBasic001', path: 'e2e-table', ...basicAuth }),
		// Example 2 as shipped: Basic auth, every event, Postgres.
		postgres: prepareWorkflow(pg, {
			id: 'e2ePostgresBasic',
			path: 'e2e-postgres',
			credentials: nodeCredentials(CREDENTIALS.basic, CREDENTIALS.postgres),
		}),
		// Example 2 with its database unreachable until the test points the credential at it.
		postgresUnreachable: prepareWorkflow(pg, {
			id: 'e2ePgUnreachable',
			path: 'e2e-postgres-down',
			credentials: nodeCredentials(CREDENTIALS.basic, CREDENTIALS.postgresDown),
		}),
		// Example 1 storing into a table the tests delete and re-create (storage fault).
		tableFault: prepareWorkflow(table, {
			id: 'e2eTableFault001',
			path: 'e2e-table-fault',
			...basicAuth,
			nodeParameters: {
				'Store event': { dataTableId: { __rl: true, mode: 'name', value: FAULT_TABLE.name } },
			},
		}),
		// Only two events selected, no authentication: unselected events, bad bodies, test URL.
		selected: prepareWorkflow(table, {
			id: 'e2eSelectedOpen1',
			path: 'e2e-selected',
			triggerParameters: { authentication: 'none', events: ['paymentApproved', 'paymentDeclined'] },
		}),
		allowlistCustom: prepareWorkflow(table, {
			id: 'e2eAllowCustom01',
			path: 'e2e-allow-custom',
			triggerParameters: {
				authentication: 'none',
				ipAllowlist: 'custom',
				allowedIps: ALLOWED_CUSTOM,
			},
		}),
		allowlistInstaMed: prepareWorkflow(table, {
			id: 'e2eAllowInstaMed',
			path: 'e2e-allow-instamed',
			triggerParameters: { authentication: 'none', ipAllowlist: 'instamed' },
		}),
		jwt: prepareWorkflow(table, {
			id: 'e2eOAuthJwt00001',
			path: 'e2e-oauth-jwt',
			...authenticatedBy(CREDENTIALS.jwt),
		}),
		// Subject only: the certificate is made after this instance has started.
		certificateProxy: certificateProxyWorkflow({
			id: 'e2eCertProxy0001',
			path: 'e2e-certificate-proxy',
		}),
		introspection: prepareWorkflow(table, {
			id: 'e2eOAuthIntro001',
			path: 'e2e-oauth-introspect',
			...authenticatedBy(CREDENTIALS.introspection),
		}),
	};
	for (const workflow of Object.values(scenarios)) {
		workflow.name = `e2e ${workflow.id}`;
	}
	return scenarios;
}

/** Scenarios imported but not published: the tests publish them (and see n8n refuse). */
const UNPUBLISHED = ['ackNoConfirm'];

/** What tests need to know about each scenario: id, URL path. */
function describeScenarios(scenarios) {
	return Object.fromEntries(
		Object.entries(scenarios).map(([name, workflow]) => [
			name,
			{ id: workflow.id, path: webhookPath(workflow) },
		]),
	);
}

module.exports = {
	newRunSettings,
	FAULT_TABLE,
	ACK_TABLE,
	ALLOWED_CUSTOM,
	credentials,
	proxySecretCredential,
	certificateProxyWorkflow,
	CERTIFICATE_CLIENT_ADDRESS,
	CERTIFICATE_SUBJECT,
	workflows,
	describeScenarios,
	UNPUBLISHED,
};
