// Authentication in a real n8n: a rejected request is answered 401 by the trigger before the
// workflow starts, so n8n records no execution and nothing is stored.

const { messages } = require('../../tools/sample-messages');
const { startOAuthIssuer } = require('../../harness/oauth-issuer');
const { startOidcProvider } = require('../../harness/oidc-provider');
const { basicAuthorization } = require('../../tools/instamed-delivery');
const { deliver } = require('../../tools/send');
const { CREDENTIALS } = require('../../harness/credentials');
const { SERVICE_LIMITS } = require('../../dist/nodes/InstaMedTrigger/guards/serviceGate');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long an identity service's spent budget takes to refill completely. */
const BUDGET_REFILL_MS = (SERVICE_LIMITS.maxConcurrent / SERVICE_LIMITS.callsPerSecond) * 1000;
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

// The queue project runs this file without the e2e setup's one-minute default: the tests below
// (floods, 50 runs at once, settling after each refusal) say how long they may take.
const LONG_TEST_MS = 120_000;

/** Sends a marked Payment Approved and expects the trigger's 500 naming the unsafe fields, no run. */
async function expectMisconfigured(scenario, headers, label, reason) {
	const { answer, workflowId, before, rows } = await sendApproved(scenario, headers, label);
	expect(answer).toMatchObject({ status: 500, text: `InstaMed Trigger misconfigured: ${reason}` });
	expect(await executionsAfterSettling(rest, workflowId)).toBe(before);
	expect(await rows()).toHaveLength(0);
}

describe('a trigger credential that cannot be safe -> 500 misconfigured, no execution', () => {
	test(
		'Basic with an empty password: refused whatever the caller sends, even Basic Og== (":")',
		async () => {
			const ref = CREDENTIALS.basic;
			const { username, password } = e2e.state.basic;
			await rest.updateCredential(ref.id, { ...ref, data: { username, password: '' } });
			try {
				const attempts = [
					{},
					{ authorization: 'Basic Og==' },
					{ authorization: basicAuthorization(username, '') },
				];
				for (const [i, headers] of attempts.entries()) {
					await expectMisconfigured(
						'table',
						headers,
						`basic-misconfigured-${i}`,
						`${ref.name} credential: Password missing`,
					);
				}
			} finally {
				await rest.updateCredential(ref.id, { ...ref, data: { username, password } });
			}
			await expectStored('table', { authorization: e2e.basicAuthorization() }, 'basic-restored');
		},
		LONG_TEST_MS,
	);
});

describe('OAuth2 against a real OAuth server (oidc-provider)', () => {
	let server;
	const bearer = (token) => ({ authorization: `Bearer ${token}` });
	const useCredential = async (ref, data) =>
		await rest.updateCredential(ref.id, { ...ref, type: 'instaMedOAuth2Api', data });

	beforeAll(async () => {
		server = await startOidcProvider();
	}, LONG_TEST_MS);

	afterAll(async () => {
		await server?.close();
	});

	test(
		'JWT: a token it issued -> 200 and stored; with Audience empty -> 500 misconfigured, no key fetch',
		async () => {
			const ref = CREDENTIALS.jwt;
			await useCredential(ref, server.credentialData('jwt'));
			await expectStored('jwt', bearer(await server.mintJwt()), 'oidc-jwt-valid');
			await useCredential(ref, server.credentialData('jwt', { audience: '' }));
			const before = await server.counts();
			await expectMisconfigured(
				'jwt',
				bearer(await server.mintJwt()),
				'oidc-jwt-no-audience',
				`${ref.name} credential: Audience missing`,
			);
			expect((await server.counts()).jwks).toBe(before.jwks);
		},
		LONG_TEST_MS,
	);

	test(
		'introspection: a flood of invented tokens stays within the budget; the genuine token is still accepted with no call',
		async () => {
			await useCredential(
				CREDENTIALS.introspection,
				server.credentialData('introspection', { cacheSeconds: 300 }),
			);
			const genuine = await server.mintOpaque();
			await expectStored('introspection', bearer(genuine), 'oidc-genuine-before');
			const start = await server.counts();
			const started = Date.now();
			const statuses = await flood(300, 10, () => bearer(randomToken()));
			const seconds = (Date.now() - started) / 1000;
			const flooded = await server.counts();
			// The budget: 10 at once, then 2 per second (guards/serviceGate.ts).
			expect(flooded.introspect - start.introspect).toBeLessThanOrEqual(
				10 + Math.ceil(2 * seconds),
			);
			expect(Object.keys(statuses).sort()).toEqual(
				expect.arrayContaining(['401 Invalid token: inactive']),
			);
			for (const status of Object.keys(statuses)) {
				expect(['401 Invalid token: inactive', '503 Token validation busy']).toContain(status);
			}
			console.log(
				`flood of 300 invented tokens in ${seconds.toFixed(1)} s: ${flooded.introspect - start.introspect} introspection calls, answers ${JSON.stringify(statuses)}`,
			);
			await expectStored('introspection', bearer(genuine), 'oidc-genuine-after');
			expect((await server.counts()).introspect).toBe(flooded.introspect);
		},
		LONG_TEST_MS,
	);

	test(
		'introspection: 50 concurrent requests with one new token -> one call, all stored',
		async () => {
			// The flood above spent the service's budget; without waiting for it to refill, the
			// first of these could find no room and be answered 503 busy (as on slower n8n runs).
			await sleep(BUDGET_REFILL_MS);
			const token = await server.mintOpaque();
			const workflowId = e2e.scenario('introspection').id;
			const before = await rest.countExecutions(workflowId);
			const start = await server.counts();
			const answers = await Promise.all(
				Array.from({ length: 50 }, (_, i) =>
					send(
						e2e.url('introspection'),
						'json',
						mark(messages.paymentApproved, e2e.marker(`oidc-concurrent-${i}`)),
						bearer(token),
					),
				),
			);
			expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
			expect((await server.counts()).introspect - start.introspect).toBe(1);
			expect(await waitForExecutions(rest, workflowId, before + 50, 60_000)).toBe(before + 50);
		},
		LONG_TEST_MS,
	);
});

describe('JWT with the JWKS URL failing (oidc-provider answering 503)', () => {
	let server;

	beforeAll(async () => {
		server = await startOidcProvider();
		await server.setJwksFailing(true);
	}, LONG_TEST_MS);

	afterAll(async () => {
		await server?.close();
	});

	test(
		'tokens keep coming: 503 Token validation unavailable, one key fetch per 10 s, no execution',
		async () => {
			const ref = CREDENTIALS.jwt;
			await rest.updateCredential(ref.id, {
				...ref,
				type: 'instaMedOAuth2Api',
				data: server.credentialData('jwt'),
			});
			const token = await server.mintJwt();
			const workflowId = e2e.scenario('jwt').id;
			const before = await rest.countExecutions(workflowId);
			const started = Date.now();
			const statuses = {};
			for (let i = 0; i < 66; i++) {
				const answer = await send(
					e2e.url('jwt'),
					'json',
					mark(messages.paymentApproved, e2e.marker(`oidc-jwks-failing-${i}`)),
					{ authorization: `Bearer ${token}` },
				);
				const key = `${answer.status} ${answer.text}`;
				statuses[key] = (statuses[key] ?? 0) + 1;
			}
			const seconds = (Date.now() - started) / 1000;
			const { jwks } = await server.counts();
			console.log(`66 tokens over ${seconds.toFixed(1)} s with the JWKS failing: ${jwks} fetches`);
			expect(statuses).toEqual({ '503 Token validation unavailable': 66 });
			expect(jwks).toBeLessThanOrEqual(1 + Math.ceil(seconds / 10));
			expect(await executionsAfterSettling(rest, workflowId)).toBe(before);
		},
		LONG_TEST_MS,
	);
});

const randomToken = () => require('node:crypto').randomBytes(24).toString('base64url');

/** Posts `count` marked messages to the introspection scenario, `concurrency` at a time; tallies "status reason". */
async function flood(count, concurrency, headersOf) {
	const statuses = {};
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const answer = await send(
				e2e.url('introspection'),
				'json',
				mark(messages.paymentApproved, e2e.marker(`oidc-flood-${i}`)),
				headersOf(i),
			);
			const key = `${answer.status} ${answer.text}`;
			statuses[key] = (statuses[key] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return statuses;
}
