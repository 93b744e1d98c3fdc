// What n8n 2.40's expression engine costs a webhook request, measured with n8n's own
// n8n-workflow and @n8n/expression-runtime from the harness's cached runtime (run under its Node
// 24): one isolate acquired and released (n8n does this in the webhook phase of every trigger
// except its own Webhook node), and the expressions the InstaMed Trigger's description used to
// need on top of it. Prints JSON: CPU ms per request for each case.
//
//   <cached node 24> bench/isolate-cost.js <n8n folder> [requests]
const path = require('node:path');

const [n8nDir, countArg] = process.argv.slice(2);
const requests = Number(countArg ?? 200);
const load = (name) => require(path.join(n8nDir, 'node_modules', name));
const { Workflow, Expression } = load('n8n-workflow');

const nodeType = {
	description: {
		properties: [
			{ name: 'path', type: 'string', default: '' },
			{ name: 'respond', type: 'string', default: 'whenConfirmed' },
			{ name: 'options', type: 'hidden', default: { binaryData: true } },
		],
	},
};
const nodeTypes = {
	getByNameAndVersion: () => nodeType,
	getByName: () => nodeType,
	getKnownTypes: () => ({}),
};

const TEMPLATES = {
	path: '={{$parameter["path"]}}',
	responseMode:
		'={{$parameter["respond"] === "whenLastNodeFinishes" ? "lastNode" : "responseNode"}}',
	binaryData: '={{$parameter["options"]["binaryData"]}}',
};

function newWorkflow() {
	return new Workflow({
		id: 'bench',
		nodes: [
			{
				id: '1',
				name: 'Trigger',
				type: 'bench.trigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { path: 'instamed' },
			},
		],
		connections: {},
		active: true,
		nodeTypes,
	});
}

async function measure(templates) {
	const start = process.cpuUsage();
	const began = performance.now();
	for (let i = 0; i < requests; i++) {
		// A new Workflow per request, as n8n's live webhooks build one.
		const workflow = newWorkflow();
		const node = workflow.getNode('Trigger');
		await workflow.expression.acquireIsolate();
		try {
			for (const template of templates)
				workflow.expression.getSimpleParameterValue(node, template, 'webhook', {});
		} finally {
			await workflow.expression.releaseIsolate();
		}
		// The pool replaces a released isolate in the background: count that too.
		await Expression.vmEvaluator?.waitForReplenishment();
	}
	const used = process.cpuUsage(start);
	return {
		cpuMs: (used.user + used.system) / 1000 / requests,
		wallMs: (performance.now() - began) / requests,
	};
}

async function main() {
	await Expression.initExpressionEngine({
		engine: 'vm',
		poolSize: 1,
		maxCodeCacheSize: 1024,
		bridgeTimeout: 5000,
		bridgeMemoryLimit: 128,
	});
	await measure([TEMPLATES.path]); // warm-up
	const result = {
		isolateOnly: await measure([]),
		isolateAndBinaryData: await measure([TEMPLATES.binaryData]),
		isolateAndThreeExpressions: await measure([
			TEMPLATES.path,
			TEMPLATES.responseMode,
			TEMPLATES.binaryData,
		]),
	};
	console.log(JSON.stringify(result));
	await Expression.disposeExpressionEngine?.();
	process.exit(0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
