#!/usr/bin/env node
// `npm run demo`: builds the package, starts a real n8n with it and example 1 (InstaMed Trigger
// with Basic auth, every event stored in n8n's own Data Table), prints how to reach it and a
// ready curl line per format, and runs until Ctrl-C.
// On a fresh clone it first installs the dev dependencies and builds (scripts/bootstrap.js).
require('../scripts/bootstrap').ensureReady();
const path = require('node:path');
const { messages, serialise } = require('./sample-messages');
const {
	startSession,
	printSession,
	stopOnSignal,
	webhookUrls,
} = require('../harness/session');
const { REPO } = require('../harness/package');
const { preferredPort } = require('../harness/n8n');

const EXAMPLE = path.join(REPO, 'examples', 'instamed-to-data-table.json');

// Enough of a real notification to route and store it, without the patient fields.
const CURL_FIELDS = [
	'PaymentTransactionID',
	'TransactionAction',
	'TransactionType',
	'CurrentTransactionStatusCode',
	'CurrentTransactionStatusDescription',
	'ResponseCode',
	'ResponseMessage',
	'ResponseDateTime',
	'Amount',
	'Outlet',
	'CardType',
	'CardLastFourDigits',
];

function shellQuote(text) {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

function curlLine(url, basic, format) {
	const sample = messages.paymentApproved;
	const fields = Object.fromEntries(CURL_FIELDS.map((name) => [name, sample[name]]));
	const { body, contentType } = serialise(format, fields);
	const compact = format === 'xml' ? body.replace(/\n\s*/g, '') : body;
	return [
		'curl -i',
		`-u ${shellQuote(`${basic.username}:${basic.password}`)}`,
		`-H ${shellQuote(`Content-Type: ${contentType}`)}`,
		`--data-binary ${shellQuote(compact)}`,
		url,
	].join(' ');
}

async function main() {
	const session = await startSession({ files: [EXAMPLE], port: await preferredPort() });
	printSession(session);
	const url = webhookUrls(session.n8n, session.workflows[0]);
	console.log('\nSend a Payment Approved notification (expect HTTP 200, then a row in the');
	console.log('"instamed_events" data table: editor > Overview > Data tables):');
	for (const format of ['json', 'xml', 'nvp']) {
		console.log(`\n# ${format.toUpperCase()}\n${curlLine(url.production, session.basic, format)}`);
	}
	const { username, password } = session.basic;
	console.log("\nOr every trigger in every format, with InstaMed's Basic challenge flow:");
	console.log(
		`npm run send -- --trigger all --format all --url ${url.production} --user ${username} --password ${shellQuote(password)}`,
	);
	console.log('\nPress Ctrl-C to stop n8n.');
	stopOnSignal(session.n8n);
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
