// Authentication in a real n8n: a rejected request is answered 401 by the trigger before the
// workflow starts, so n8n records no execution and nothing is stored.

const { messages } = require('../../tools/sample-messages');
const { startOAuthIssuer } = require('../../harness/oauth-issuer');
const { deliver } = require('../../tools/send');
const { CREDENTIALS } = require('../../harness/credentials');
const {
	sharedN8n,
	mark,
	send,
	waitForExecutions,
	executionsAfterSettling,
	tableRowsMarked,
	MARKER_FIELD,
} = require('./support/e2e');

const { e2e, rest } = sharedN8n();
const TABLE = e2e.state.tables.events.name;

/** Sends a marked Payment Approved; returns the answer, the fields and the executions before. */
async function sendApproved(scenario, headers, label) {
	const workflowId = e2e.scenario(scenario).id;
	const fields = mark(messages.paymentApproved, e2e.marker(label));
	const before = await rest.countExecutions(workflowId);
	const answer = await send(e2e.url(scenario), 'json', fields, headers);
	const rows = () => tableRowsMarked(rest, TABLE, fields[MARKER_FIELD]);
	return { answer, workflowId, before, rows };
}

/** Sends a marked Payment Approved and expects a 401, no new execution and no row. */
async function expectRejected(scenario, headers, label) {
	const { answer, workflowId, before, rows } = await sendApproved(scenario, headers, label);
	expect(answer.status).toBe(401);
	expect(await executionsAfterSettling(rest, workflowId)).toBe(before);
	expect(await rows()).toHaveLength(0);
	return answer;
}

/** Sends a marked Payment Approved and expects 200, one new execution and the row. */
async function expectStored(scenario, headers, label) {
	const { answer, workflowId, before, rows } = await sendApproved(scenario, headers, label);
	expect(answer.status).toBe(200);
	expect(await waitForExecutions(rest, workflowId, before + 1)).toBe(before + 1);
	expect(await rows()).toHaveLength(1);
}

describe('Basic authentication', () => {
	const basic = () => ({ authorization: e2e.basicAuthorization() });
	const wrong = (username, password) => ({
		authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
	});

	test('no credentials -> 401 with a Basic challenge, no execution, nothing stored', async () => {
		const answer = await expectRejected('table', {}, 'basic-none');
		expect(answer.challenge).toMatch(/^Basic realm=/i);
	});

	test('wrong password -> 401, no execution, nothing stored', async () => {
		await expectRejected(
			'table',
			wrong(e2e.state.basic.username, 'not-the-password'),
			'basic-wrong-pw',
		);
	});

	test('wrong user -> 401, no execution, nothing stored', async () => {
		await expectRejected(
			'table',
			wrong('someone-else', e2e.state.basic.password),
			'basic-wrong-user',
		);
	});

	test('right credentials -> 200 and stored', async () => {
		await expectStored('table', basic(), 'basic-right');
	});

	test("InstaMed's challenge flow (no credentials, 401, again with them) -> stored once", async () => {
		const workflowId = e2e.scenario('table').id;
		const before = await rest.countExecutions(workflowId);
		const attempts = await deliver({
			url: e2e.url('table'),
			trigger: 'paymentDeclined',
			format: 'nvp',
			user: e2e.state.basic.username,
			password: e2e.state.basic.password,
		});
		expect(attempts.map((attempt) => attempt.status)).toEqual([401, 200]);
		expect(await waitForExecutions(rest, workflowId, before + 1)).toBe(before + 1);
		expect(await executionsAfterSettling(rest, workflowId)).toBe(before + 1);
	});
});

describe.each([
	['JWT', 'jwt', CREDENTIALS.jwt],
	['introspection', 'introspection', CREDENTIALS.introspection],
])('OAuth2 (%s) against a local issuer', (label, scenario, credential) => {
	let issuer;
	const bearer = (token) => ({ authorization: `Bearer ${token}` });

	beforeAll(async () => {
		issuer = await startOAuthIssuer({ audience: 'https://n8n.example.test/instamed' });
		const data = issuer.credentialData(scenario, {
			allowedAlgorithms: ['RS256', 'ES256'],
			clockToleranceSeconds: 5,
			cacheSeconds: 0,
			requiredScope: '',
		});
		await rest.updateCredential(credential.id, { ...credential, type: 'instaMedOAuth2Api', data });
	});

	afterAll(async () => {
		await issuer?.close();
	});

	const valid = () => (scenario === 'jwt' ? issuer.mintJwt() : issuer.mintOpaque());
	const expired = () =>
		scenario === 'jwt'
			? issuer.mintJwt({ expiresIn: -600 })
			: issuer.mintOpaque({ expiresIn: -600 });
	const wrongAudience = () => {
		const claims = { aud: 'https://someone-else.example.test' };
		return scenario === 'jwt' ? issuer.mintJwt({ claims }) : issuer.mintOpaque({ claims });
	};
	// JWT: signed with a key the issuer never published; opaque: a token the issuer never issued.
	const forged = () =>
		scenario === 'jwt' ? issuer.mintJwt({ signer: 'forged' }) : 'Zm9yZ2VkLXRva2VuLW5vdC1pc3N1ZWQ';

	test('a valid token -> 200 and stored', async () => {
		await expectStored(scenario, bearer(valid()), `${scenario}-valid`);
	});

	test('no token -> 401 with a bare Bearer challenge (RFC 6750), no execution', async () => {
		const answer = await expectRejected(scenario, {}, `${scenario}-none`);
		expect(answer.challenge).toBe('Bearer realm="InstaMed"');
	});

	test('an expired token -> 401, no execution', async () => {
		await expectRejected(scenario, bearer(expired()), `${scenario}-expired`);
	});

	test('a token for another audience -> 401, no execution', async () => {
		await expectRejected(scenario, bearer(wrongAudience()), `${scenario}-audience`);
	});

	test('a forged token -> 401, no execution', async () => {
		await expectRejected(scenario, bearer(forged()), `${scenario}-forged`);
	});
});
