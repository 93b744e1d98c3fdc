// A stand-in for n8n's webhook context, to call the trigger's webhook() as n8n does.
const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');
const { configuredOutputs } = require('../../nodes/InstaMedTrigger/outputs.ts');
const { EVENTS } = require('../../nodes/InstaMedTrigger/events.ts');

const ALL_EVENTS = EVENTS.filter((event) => event.id !== 'unrecognized').map((event) => event.id);
const BASIC = { username: 'instamed', password: 'correct horse' };

/** The parts of express's response the trigger writes a refusal with (methods on the prototype, as express's are). */
class FakeResponse {
	constructor() {
		this.statusCode = 200;
		this.statusMessage = '';
		this.headersSent = false;
		this.headers = {};
		this.body = undefined;
	}
	setHeader(name, value) {
		this.headers[name.toLowerCase()] = value;
	}
	getHeader(name) {
		return this.headers[name.toLowerCase()];
	}
	removeHeader(name) {
		delete this.headers[name.toLowerCase()];
	}
	writeHead(status) {
		this.statusCode = status;
		this.headersSent = true;
	}
	end(body) {
		if (!this.headersSent) this.writeHead(this.statusCode);
		this.body = body;
	}
}

function fakeResponse() {
	return new FakeResponse();
}

const STORE = { name: 'Store', type: 'n8n-nodes-base.postgres', typeVersion: 2.7, disabled: false };
const CONFIRM = {
	name: 'Confirm',
	type: 'n8n-nodes-instamed.instaMed',
	typeVersion: 1,
	disabled: false,
	parameters: { resource: 'notification', operation: 'confirmStored' },
};

/**
 * The workflow after the trigger as n8n-core's context shows it: `outputs` (indexes, or 'all')
 * lead to a Store step, followed by Confirm Stored unless `confirm` is false.
 */
function wiringStandIn({ outputs = 'all', confirm = true } = {}) {
	const connected = (index) => outputs === 'all' || outputs.includes(index);
	const children =
		outputs === 'all' || outputs.length > 0 ? [STORE, ...(confirm ? [CONFIRM] : [])] : [];
	return {
		getChildNodes: () => children,
		getConnections: ({ name }) => {
			if (name === 'Store') {
				return [
					Array.from({ length: 11 }, (_, index) => index)
						.filter(connected)
						.map((index) => ({ node: 'InstaMed Trigger', type: 'main', index })),
				];
			}
			if (name === 'Confirm') return [[{ node: 'Store', type: 'main', index: 0 }]];
			return [];
		},
	};
}

function webhookContext({
	parameters = {},
	body,
	contentType,
	headers = {},
	peer = '203.0.113.10',
	credentials = { instaMedBasicApi: BASIC },
	mode = 'webhook',
	wiring = {},
}) {
	const values = { events: ALL_EVENTS, authentication: 'none', ...parameters };
	const req = {
		ip: peer,
		socket: { remoteAddress: peer },
		headers: { 'content-type': contentType, ...headers },
		rawBody: Buffer.from(body),
	};
	const res = fakeResponse();
	const warnings = [];
	const warningDetails = [];
	const context = {
		getNodeParameter: (name, fallback) => (name in values ? values[name] : fallback),
		getRequestObject: () => req,
		getResponseObject: () => res,
		// An Error in place of a credential is thrown, as n8n's lookup would.
		getCredentials: async (type) => {
			if (credentials[type] instanceof Error) throw credentials[type];
			return credentials[type];
		},
		getMode: () => mode,
		getNode: () => ({ name: 'InstaMed Trigger' }),
		...wiringStandIn(wiring),
		logger: {
			warn: (message, details) => {
				warnings.push(message);
				if (details) warningDetails.push(details);
			},
		},
		helpers: {},
	};
	return { context, res, warnings, warningDetails };
}

async function callWebhook(options) {
	const { context, res, warnings, warningDetails } = webhookContext(options);
	const result = await new InstaMedTrigger().webhook.call(context);
	return { result, res, warnings, warningDetails };
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

module.exports = { ALL_EVENTS, BASIC, callWebhook, landedOn, webhookContext };
