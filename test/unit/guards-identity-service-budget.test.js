// What callers can make the trigger ask of the identity service: counts of calls, on a clock the
// test moves, against a stand-in service that counts (the real issuer's side is in test/e2e/auth).
const { randomBytes } = require('node:crypto');
const {
	BearerTokenValidator,
	readOAuth2Settings,
} = require('../../nodes/InstaMedTrigger/guards/bearerToken.ts');

const INTROSPECT = 'https://sso.example.test/as/introspect.oauth2';
const JWKS = 'https://sso.example.test/pf/JWKS';
const bearer = (token) => `Bearer ${token}`;
const randomToken = () => randomBytes(24).toString('base64url');
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Well formed, RS256, unsigned for real: only reaching the key set matters here. */
const wellFormedJwt = () =>
	`${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: randomToken() })}.${randomToken()}`;

const introspection = readOAuth2Settings({
	validation: 'introspection',
	introspectionUrl: INTROSPECT,
	clientId: 'n8n',
	cacheSeconds: 300,
});
const jwt = readOAuth2Settings({
	validation: 'jwt',
	jwksUrl: JWKS,
	issuer: 'https://sso.example.test',
	audience: 'instamed',
});

/** A service that knows `genuine` tokens and counts each call; `answer` overrides its answer. */
function service({ genuine = new Set(), answer } = {}) {
	const calls = { introspect: 0, jwks: 0 };
	const http = {
		getJson: async () => {
			calls.jwks++;
			return answer ? await answer() : { status: 503, body: '' };
		},
		postForm: async (_url, form) => {
			calls.introspect++;
			if (answer) return await answer(form);
			const active = genuine.has(form.token);
			return {
				status: 200,
				body: active ? { active, exp: Math.floor(Date.now() / 1000) + 3600 } : { active },
			};
		},
	};
	return { calls, http };
}

function validatorOnClock() {
	const clock = { now: Date.now() };
	return { clock, validator: new BearerTokenValidator(() => clock.now) };
}

async function outcome(promise) {
	try {
		await promise;
		return 'accepted';
	} catch (error) {
		return `${error.status} ${error.reason} ${error.headers?.['Retry-After'] ?? ''}`.trim();
	}
}

function tally(outcomes) {
	return outcomes.reduce((counts, o) => ({ ...counts, [o]: (counts[o] ?? 0) + 1 }), {});
}

describe('introspection: a flood of invented tokens', () => {
	test('1000 at once -> 10 calls (the burst), the rest 503 busy with Retry-After', async () => {
		const { validator } = validatorOnClock();
		const { calls, http } = service();
		const outcomes = await Promise.all(
			Array.from({ length: 1000 }, () =>
				outcome(validator.validate(bearer(randomToken()), introspection, http)),
			),
		);
		expect(calls.introspect).toBe(10);
		expect(tally(outcomes)).toEqual({
			'401 Invalid token: inactive': 10,
			'503 Token validation busy 1': 990,
		});
	});

	test('1000 over 100 s -> at most 10 + 2 per second calls', async () => {
		const { clock, validator } = validatorOnClock();
		const { calls, http } = service();
		for (let i = 0; i < 1000; i++) {
			clock.now += 100;
			await outcome(validator.validate(bearer(randomToken()), introspection, http));
		}
		expect(calls.introspect).toBeLessThanOrEqual(10 + 2 * 100);
		expect(calls.introspect).toBeGreaterThanOrEqual(2 * 100);
	});

	test('a genuine token cached before a flood that fills the refused cache is still accepted, with no call', async () => {
		const { clock, validator } = validatorOnClock();
		const token = randomToken();
		const { calls, http } = service({ genuine: new Set([token]) });
		const settings = { ...introspection, cacheSeconds: 3600 };
		await validator.validate(bearer(token), settings, http);
		// Slow enough that each invented token is asked about: 1000 refusals, twice the cache size.
		for (let i = 0; i < 1000; i++) {
			clock.now += 600;
			await outcome(validator.validate(bearer(randomToken()), settings, http));
		}
		const before = calls.introspect;
		expect(before).toBe(1001);
		await expect(validator.validate(bearer(token), settings, http)).resolves.toBeDefined();
		expect(calls.introspect).toBe(before);
	});

	test('one refused token repeated -> one call per minute', async () => {
		const { clock, validator } = validatorOnClock();
		const { calls, http } = service();
		const token = randomToken();
		for (let i = 0; i < 100; i++) {
			expect(await outcome(validator.validate(bearer(token), introspection, http))).toBe(
				'401 Invalid token: inactive',
			);
		}
		expect(calls.introspect).toBe(1);
		clock.now += 61_000;
		await outcome(validator.validate(bearer(token), introspection, http));
		expect(calls.introspect).toBe(2);
	});

	test('50 concurrent requests with one token -> one call, all accepted', async () => {
		const { validator } = validatorOnClock();
		const token = randomToken();
		const { calls, http } = service({ genuine: new Set([token]) });
		const outcomes = await Promise.all(
			Array.from({ length: 50 }, () =>
				outcome(validator.validate(bearer(token), introspection, http)),
			),
		);
		expect(calls.introspect).toBe(1);
		expect(tally(outcomes)).toEqual({ accepted: 50 });
	});

	test('no more than 10 calls in flight, even with the rate to spare', async () => {
		const { clock, validator } = validatorOnClock();
		const waiting = [];
		const { calls, http } = service({
			answer: () =>
				new Promise((resolve) =>
					waiting.push(() => resolve({ status: 200, body: { active: false } })),
				),
		});
		clock.now += 60_000;
		const pending = Array.from({ length: 20 }, () =>
			outcome(validator.validate(bearer(randomToken()), introspection, http)),
		);
		await new Promise((resolve) => setImmediate(resolve));
		expect(calls.introspect).toBe(10);
		for (const release of waiting) release();
		expect(tally(await Promise.all(pending))).toEqual({
			'401 Invalid token: inactive': 10,
			'503 Token validation busy 1': 10,
		});
	});

	test('HTTP 400 -> 401 "not introspectable", remembered, and the service is not paused', async () => {
		const { validator } = validatorOnClock();
		const { calls, http } = service({
			answer: async () => ({ status: 400, body: { error: 'invalid_request' } }),
		});
		const token = randomToken();
		expect(await outcome(validator.validate(bearer(token), introspection, http))).toBe(
			'401 Invalid token: not introspectable',
		);
		expect(await outcome(validator.validate(bearer(token), introspection, http))).toBe(
			'401 Invalid token: not introspectable',
		);
		await outcome(validator.validate(bearer(randomToken()), introspection, http));
		expect(calls.introspect).toBe(2);
	});

	test('a failing service is left alone for 10 s: 503 unavailable without a call', async () => {
		const { clock, validator } = validatorOnClock();
		const { calls, http } = service({ answer: async () => ({ status: 502, body: '' }) });
		const outcomes = [];
		for (let i = 0; i < 30; i++) {
			outcomes.push(await outcome(validator.validate(bearer(randomToken()), introspection, http)));
			clock.now += 500;
		}
		// t = 0 and t = 10 s called; every other token was answered from the pause.
		expect(calls.introspect).toBe(2);
		expect(outcomes[0]).toBe('503 Token validation unavailable 10');
		expect(outcomes[1]).toBe('503 Token validation unavailable 10');
		expect(outcomes[19]).toBe('503 Token validation unavailable 1');
	});

	test('each credential has its own budget', async () => {
		const { validator } = validatorOnClock();
		const { calls, http } = service();
		const other = { ...introspection, clientId: 'another-client' };
		await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				outcome(validator.validate(bearer(randomToken()), i % 2 ? other : introspection, http)),
			),
		);
		expect(calls.introspect).toBe(20);
	});
});

describe('JWT: the key set', () => {
	test('a failing JWKS URL is fetched once per 10 s however many tokens come (66 tokens over 20 s -> 2)', async () => {
		const { clock, validator } = validatorOnClock();
		const { calls, http } = service();
		const outcomes = [];
		for (let i = 0; i < 66; i++) {
			outcomes.push(await outcome(validator.validate(bearer(wellFormedJwt()), jwt, http)));
			clock.now += 300;
		}
		expect(calls.jwks).toBe(2);
		expect(new Set(outcomes.map((o) => o.split(' ').slice(0, 4).join(' ')))).toEqual(
			new Set(['503 Token validation unavailable']),
		);
	});
});
