#!/usr/bin/env node
// Sample sender: posts realistic InstaMed notifications (test/fixtures/messages.js) the way
// InstaMed does, and prints each answer's status and reason. With Basic credentials it follows
// InstaMed's challenge flow: first post without credentials, again with them after a 401.
//
//   npm run send -- --trigger approved --format xml --url http://localhost:5678/webhook/instamed \
//     --user instamed-demo --password <password>
//   npm run send -- --trigger all --format all --url ... --token <bearer token>
const { parseArgs } = require('node:util');
const { messages, formats, serialise } = require('../fixtures/messages');
const { httpPost, postWithChallenge } = require('./instamed-delivery');

const TRIGGERS = Object.keys(messages);

const USAGE = `Usage: npm run send -- --url <webhook URL> [options]
  --trigger <name|all>   ${TRIGGERS.map(shortName).join(', ')} (or full names; default approved)
  --format <json|xml|nvp|all>   default json
  --user <name> --password <secret>   Basic credentials, sent after InstaMed's 401 challenge
  --token <token>        OAuth2 bearer token, sent on the first post
  --header <Name: value> extra request header (repeatable), e.g. "X-Forwarded-For: 52.0.168.18"
  --repeat <n>           deliver each message n times (as InstaMed's retries do); default 1`;

function shortName(trigger) {
	const rest = trigger.replace(/^payment/, '');
	return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** `approved`, `Approved`, `paymentApproved`, `planCreated` -> the fixture key. */
function resolveTrigger(name) {
	const wanted = name.toLowerCase().replace(/[^a-z]/g, '');
	const found = TRIGGERS.find(
		(trigger) => trigger.toLowerCase() === wanted || shortName(trigger).toLowerCase() === wanted,
	);
	if (!found)
		throw new Error(`Unknown trigger "${name}"; one of: ${TRIGGERS.map(shortName).join(', ')}`);
	return found;
}

function expand(value, all, resolve) {
	return value === 'all' ? all : value.split(',').map((part) => resolve(part.trim()));
}

function parseHeaders(list) {
	return Object.fromEntries(
		list.map((line) => {
			const at = line.indexOf(':');
			if (at < 1) throw new Error(`--header needs "Name: value", got "${line}"`);
			return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
		}),
	);
}

/** Delivers one message as InstaMed does (see postWithChallenge); returns every answer. */
async function deliver({ url, trigger, format, user, password, token, headers = {} }) {
	const { body, contentType } = serialise(format, messages[trigger]);
	const send = (extra) => httpPost({ url, body, contentType, headers: extra });
	return await postWithChallenge(send, { auth: { user, password, token }, headers });
}

function describe(answer) {
	if (answer.timedOut) return 'no answer within 20 s';
	if (answer.error) return `connection failed (${answer.error})`;
	const text =
		answer.text && answer.text !== answer.reason ? ` ${JSON.stringify(answer.text)}` : '';
	return `${answer.status} ${answer.reason}${text}`;
}

async function main(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			url: { type: 'string' },
			trigger: { type: 'string', default: 'approved' },
			format: { type: 'string', default: 'json' },
			user: { type: 'string' },
			password: { type: 'string' },
			token: { type: 'string' },
			header: { type: 'string', multiple: true, default: [] },
			repeat: { type: 'string', default: '1' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help || !values.url) {
		console.log(USAGE);
		return values.help ? 0 : 2;
	}
	const triggers = expand(values.trigger, TRIGGERS, resolveTrigger);
	const chosenFormats = expand(values.format, formats, (format) => {
		if (!formats.includes(format))
			throw new Error(`Unknown format "${format}"; one of: ${formats.join(', ')}`);
		return format;
	});
	const headers = parseHeaders(values.header);
	let failures = 0;
	for (const trigger of triggers) {
		for (const format of chosenFormats) {
			for (let delivery = 1; delivery <= Number(values.repeat); delivery++) {
				const attempts = await deliver({ ...values, trigger, format, headers });
				const final = attempts[attempts.length - 1];
				if (final.status !== 200) failures++;
				const steps = attempts.map(describe).join(' -> challenged, sent credentials -> ');
				console.log(`${shortName(trigger).padEnd(12)} ${format.padEnd(4)} ${steps}`);
			}
		}
	}
	return failures === 0 ? 0 : 1;
}

module.exports = { deliver, resolveTrigger, TRIGGERS };

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			console.error(error.message);
			process.exit(2);
		},
	);
}
