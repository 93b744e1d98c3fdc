const {
	BearerTokenValidator,
	readOAuth2Settings,
} = require('../../nodes/InstaMedTrigger/guards/bearerToken.ts');
const { startOAuthIssuer } = require('../../harness/oauth-issuer');

let issuer;
beforeAll(async () => {
	issuer = await startOAuthIssuer();
});
afterAll(async () => {
	await issuer.close();
});

/** What the node does with n8n's helpers: plain GET, and POST authenticated as the client. */
function issuerHttp(clientSecret = issuer.clientSecret) {
	const answer = async (response) => ({
		status: response.status,
		body: await response.json().catch(() => undefined),
	});
	return {
		getJson: async (url) => await answer(await fetch(url)),
		postForm: async (url, form) =>
			await answer(
				await fetch(url, {
					method: 'POST',
					headers: {
						Authorization: `Basic ${Buffer.from(`${issuer.clientId}:${clientSecret}`).toString('base64')}`,
						'Content-Type': 'application/x-www-form-urlencoded',
					},
					body: new URLSearchParams(form).toString(),
				}),
			),
	};
}

const unreachableHttp = {
	getJson: async () => {
		throw new Error('connect ECONNREFUSED');
	},
	postForm: async () => {
		throw new Error('connect ECONNREFUSED');
	},
};

function jwtSettings(overrides = {}) {
	return readOAuth2Settings({
		validation: 'jwt',
		jwksUrl: issuer.jwksUrl,
		issuer: issuer.issuer,
		audience: issuer.audience,
		allowedAlgorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'RS512', 'PS512'],
		clockToleranceSeconds: 60,
		...overrides,
	});
}

function introspectionSettings(overrides = {}) {
	return readOAuth2Settings({
		validation: 'introspection',
		introspectionUrl: issuer.introspectionUrl,
		clientId: issuer.clientId,
		cacheSeconds: 300,
		...overrides,
	});
}

/** A validator on a clock the test moves; it starts at the real time the issuer mints with. */
function validatorWithClock() {
	const clock = { now: Date.now() };
	return { clock, validator: new BearerTokenValidator(() => clock.now) };
}

async function rejectionOf(promise) {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

function expectInvalidToken(error, problem) {
	expect(error).toMatchObject({
		status: 401,
		reason: `Invalid token: ${problem}`,
		headers: {
			'WWW-Authenticate': `Bearer realm="InstaMed", error="invalid_token", error_description="${problem}"`,
		},
	});
}

const bearer = (token) => `Bearer ${token}`;

describe('JWT validation', () => {
	test.each(['RS256', 'RS512', 'PS256', 'PS512', 'ES256', 'ES384', 'ES512'])(
		'accepts a valid %s token and returns its claims',
		async (alg) => {
			const { validator } = validatorWithClock();
			const claims = await validator.validate(
				bearer(issuer.mintJwt({ alg })),
				jwtSettings(),
				issuerHttp(),
			);
			expect(claims).toMatchObject({ iss: issuer.issuer, aud: issuer.audience, sub: 'instamed' });
		},
	);

	test('an audience array containing ours is accepted', async () => {
		const { validator } = validatorWithClock();
		const token = issuer.mintJwt({ claims: { aud: ['other', issuer.audience] } });
		await expect(
			validator.validate(bearer(token), jwtSettings(), issuerHttp()),
		).resolves.toBeDefined();
	});

	test.each([
		['no Authorization header', undefined],
		['an empty one', '  '],
	])(
		'%s -> 401 with a bare Bearer challenge (RFC 6750: no error code without credentials)',
		async (_name, authorization) => {
			const { validator } = validatorWithClock();
			expect(
				await rejectionOf(validator.validate(authorization, jwtSettings(), issuerHttp())),
			).toMatchObject({
				status: 401,
				reason: 'Authorization required',
				headers: { 'WWW-Authenticate': 'Bearer realm="InstaMed"' },
			});
		},
	);

	const failures = [
		['not a bearer header', () => 'Basic abc', 'malformed'],
		['not a JWT', () => bearer('abc.def'), 'malformed'],
		['garbage segments', () => bearer('e30.bm90LWpzb24.c2ln'), 'malformed'],
		['expired', () => bearer(issuer.mintJwt({ expiresIn: -120 })), 'expired'],
		[
			'expired within tolerance is still expired after it',
			() => bearer(issuer.mintJwt({ expiresIn: -61 })),
			'expired',
		],
		[
			'not yet valid (nbf)',
			() => bearer(issuer.mintJwt({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } })),
			'not yet valid',
		],
		[
			'issued in the future (iat)',
			() => bearer(issuer.mintJwt({ claims: { iat: Math.floor(Date.now() / 1000) + 600 } })),
			'not yet valid',
		],
		['missing exp', () => bearer(issuer.mintJwt({ claims: { exp: undefined } })), 'missing expiry'],
		[
			'wrong issuer',
			() => bearer(issuer.mintJwt({ claims: { iss: 'https://evil.example' } })),
			'wrong issuer',
		],
		[
			'wrong audience',
			() => bearer(issuer.mintJwt({ claims: { aud: 'someone-else' } })),
			'wrong audience',
		],
		[
			'wrong audience array',
			() => bearer(issuer.mintJwt({ claims: { aud: ['a', 'b'] } })),
			'wrong audience',
		],
		[
			'forged signature under the issuer kid',
			() => bearer(issuer.mintJwt({ signer: 'forged' })),
			'bad signature',
		],
		[
			'tampered payload',
			() => {
				const [h, , s] = issuer.mintJwt().split('.');
				const payload = Buffer.from(
					JSON.stringify({ iss: issuer.issuer, aud: issuer.audience, exp: 9999999999 }),
				).toString('base64url');
				return bearer(`${h}.${payload}.${s}`);
			},
			'bad signature',
		],
		[
			'signed by an unknown key',
			() => bearer(issuer.mintJwt({ signer: 'unknownKey' })),
			'unknown key',
		],
		['alg none', () => bearer(issuer.mintJwt({ signer: 'none' })), 'algorithm not allowed'],
		[
			'algorithm not in the allowed list',
			() => bearer(issuer.mintJwt({ alg: 'RS384' })),
			'algorithm not allowed',
		],
		[
			'RSA algorithm announced with an EC key',
			() => bearer(issuer.mintJwt({ alg: 'RS256', kid: 'ec-256' })),
			'key does not match algorithm',
		],
		[
			'ES256 announced with the P-384 key',
			() => bearer(issuer.mintJwt({ alg: 'ES256', kid: 'ec-384' })),
			'key does not match algorithm',
		],
	];
	test.each(failures)('%s -> 401', async (_name, header, problem) => {
		const { validator } = validatorWithClock();
		expectInvalidToken(
			await rejectionOf(validator.validate(header(), jwtSettings(), issuerHttp())),
			problem,
		);
	});

	test('HS256 (a shared-secret algorithm) is never accepted, even if listed', async () => {
		const { validator } = validatorWithClock();
		const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rsa-1' })).toString(
			'base64url',
		);
		const token = `${header}.${issuer.mintJwt().split('.')[1]}.c2ln`;
		const settings = jwtSettings({ allowedAlgorithms: ['HS256', 'RS256'] });
		expectInvalidToken(
			await rejectionOf(validator.validate(bearer(token), settings, issuerHttp())),
			'algorithm not allowed',
		);
	});

	test('the clock tolerance admits a token that expired moments ago', async () => {
		const { validator } = validatorWithClock();
		const token = issuer.mintJwt({ expiresIn: -30 });
		await expect(
			validator.validate(bearer(token), jwtSettings(), issuerHttp()),
		).resolves.toBeDefined();
		expectInvalidToken(
			await rejectionOf(
				validator.validate(bearer(token), jwtSettings({ clockToleranceSeconds: 0 }), issuerHttp()),
			),
			'expired',
		);
	});

	test('a required scope must be granted', async () => {
		const { validator } = validatorWithClock();
		const token = issuer.mintJwt({ claims: { scope: 'read webhook' } });
		await expect(
			validator.validate(bearer(token), jwtSettings({ requiredScope: 'webhook' }), issuerHttp()),
		).resolves.toBeDefined();
		expectInvalidToken(
			await rejectionOf(
				validator.validate(bearer(token), jwtSettings({ requiredScope: 'admin' }), issuerHttp()),
			),
			'missing scope',
		);
	});

	test('an unreachable JWKS -> 503 so InstaMed retries', async () => {
		const { validator } = validatorWithClock();
		const error = await rejectionOf(
			validator.validate(bearer(issuer.mintJwt()), jwtSettings(), unreachableHttp),
		);
		expect(error).toMatchObject({ status: 503, reason: 'Token validation unavailable' });
	});

	test('a JWKS URL that answers something else -> 503', async () => {
		const { validator } = validatorWithClock();
		const http = { ...issuerHttp(), getJson: async () => ({ status: 200, body: { hello: 'world' } }) };
		const error = await rejectionOf(
			validator.validate(bearer(issuer.mintJwt()), jwtSettings(), http),
		);
		expect(error).toMatchObject({ status: 503 });
	});
});

describe('JWKS cache', () => {
	test('N requests with the same token -> one JWKS fetch', async () => {
		const { validator } = validatorWithClock();
		const token = bearer(issuer.mintJwt());
		const before = issuer.requests.jwks;
		for (let i = 0; i < 20; i++) await validator.validate(token, jwtSettings(), issuerHttp());
		expect(issuer.requests.jwks - before).toBe(1);
	});

	test('concurrent first requests share one fetch', async () => {
		const { validator } = validatorWithClock();
		const token = bearer(issuer.mintJwt());
		const before = issuer.requests.jwks;
		await Promise.all(
			Array.from({ length: 10 }, () => validator.validate(token, jwtSettings(), issuerHttp())),
		);
		expect(issuer.requests.jwks - before).toBe(1);
	});

	test('the key set is fetched again after ten minutes', async () => {
		const { clock, validator } = validatorWithClock();
		const before = issuer.requests.jwks;
		await validator.validate(bearer(issuer.mintJwt()), jwtSettings(), issuerHttp());
		clock.now += 9 * 60 * 1000;
		await validator.validate(
			bearer(issuer.mintJwt({ expiresIn: 3600 })),
			jwtSettings(),
			issuerHttp(),
		);
		expect(issuer.requests.jwks - before).toBe(1);
		clock.now += 61 * 1000;
		await validator.validate(
			bearer(issuer.mintJwt({ expiresIn: 3600 })),
			jwtSettings(),
			issuerHttp(),
		);
		expect(issuer.requests.jwks - before).toBe(2);
	});

	test('unknown kids refetch at most once per 30 s (no fetch storm from forged tokens)', async () => {
		const { clock, validator } = validatorWithClock();
		await validator.validate(bearer(issuer.mintJwt()), jwtSettings(), issuerHttp());
		const before = issuer.requests.jwks;
		clock.now += 31 * 1000;
		for (let i = 0; i < 10; i++) {
			const forged = bearer(issuer.mintJwt({ kid: `random-${i}`, expiresIn: 3600 }));
			expectInvalidToken(
				await rejectionOf(validator.validate(forged, jwtSettings(), issuerHttp())),
				'unknown key',
			);
		}
		expect(issuer.requests.jwks - before).toBe(1);
	});

	test('key rotation: a token from a new key is accepted after one refetch', async () => {
		const local = await startOAuthIssuer();
		try {
			const clock = { now: Date.now() };
			const validator = new BearerTokenValidator(() => clock.now);
			const settings = readOAuth2Settings({
				validation: 'jwt',
				jwksUrl: local.jwksUrl,
				issuer: local.issuer,
				audience: local.audience,
				allowedAlgorithms: ['RS256'],
			});
			const http = {
				getJson: async (url) => ({ status: 200, body: await (await fetch(url)).json() }),
				postForm: async () => {
					throw new Error('unused');
				},
			};
			await validator.validate(bearer(local.mintJwt()), settings, http);
			local.rotateKeys();
			clock.now += 31 * 1000;
			const rotated = bearer(local.mintJwt({ expiresIn: 3600 }));
			await expect(validator.validate(rotated, settings, http)).resolves.toBeDefined();
			await expect(validator.validate(rotated, settings, http)).resolves.toBeDefined();
			expect(local.requests.jwks).toBe(2);
		} finally {
			await local.close();
		}
	});
});

describe('introspection (RFC 7662)', () => {
	test('an active opaque token is accepted and its claims returned', async () => {
		const { validator } = validatorWithClock();
		const claims = await validator.validate(
			bearer(issuer.mintOpaque()),
			introspectionSettings(),
			issuerHttp(),
		);
		expect(claims).toMatchObject({ active: true, scope: 'webhook' });
	});

	test('an unknown (inactive) token -> 401 inactive', async () => {
		const { validator } = validatorWithClock();
		expectInvalidToken(
			await rejectionOf(
				validator.validate(
					bearer('not-a-token-the-issuer-knows'),
					introspectionSettings(),
					issuerHttp(),
				),
			),
			'inactive',
		);
	});

	test('a revoked token -> 401 inactive', async () => {
		const { validator } = validatorWithClock();
		const token = issuer.mintOpaque();
		issuer.revoke(token);
		expectInvalidToken(
			await rejectionOf(validator.validate(bearer(token), introspectionSettings(), issuerHttp())),
			'inactive',
		);
	});

	test('a required scope is checked on the introspection answer', async () => {
		const { validator } = validatorWithClock();
		const token = bearer(issuer.mintOpaque({ claims: { scope: 'read' } }));
		expectInvalidToken(
			await rejectionOf(
				validator.validate(
					token,
					introspectionSettings({ requiredScope: 'webhook' }),
					issuerHttp(),
				),
			),
			'missing scope',
		);
	});

	test('an expected audience or issuer is checked on the introspection answer', async () => {
		const { validator } = validatorWithClock();
		const settings = introspectionSettings({ audience: issuer.audience, issuer: issuer.issuer });
		await expect(
			validator.validate(bearer(issuer.mintOpaque()), settings, issuerHttp()),
		).resolves.toMatchObject({ active: true });
		expectInvalidToken(
			await rejectionOf(
				validator.validate(
					bearer(issuer.mintOpaque({ claims: { aud: 'another-service' } })),
					settings,
					issuerHttp(),
				),
			),
			'wrong audience',
		);
		expectInvalidToken(
			await rejectionOf(
				validator.validate(
					bearer(issuer.mintOpaque({ claims: { iss: 'https://elsewhere.example' } })),
					settings,
					issuerHttp(),
				),
			),
			'wrong issuer',
		);
	});

	test('N requests with the same token -> one introspection call', async () => {
		const { validator } = validatorWithClock();
		const token = bearer(issuer.mintOpaque());
		const before = issuer.requests.introspect;
		for (let i = 0; i < 20; i++)
			await validator.validate(token, introspectionSettings(), issuerHttp());
		expect(issuer.requests.introspect - before).toBe(1);
	});

	test('a cached answer never outlives the token: exp ends it before cacheSeconds', async () => {
		const { clock, validator } = validatorWithClock();
		const token = bearer(issuer.mintOpaque({ expiresIn: 60 }));
		await validator.validate(token, introspectionSettings({ cacheSeconds: 300 }), issuerHttp());
		clock.now += 61 * 1000;
		const before = issuer.requests.introspect;
		// The issuer runs on the real clock, so it still calls the token active; its exp decides.
		expectInvalidToken(
			await rejectionOf(validator.validate(token, introspectionSettings(), issuerHttp())),
			'expired',
		);
		expect(issuer.requests.introspect - before).toBe(1);
	});

	test('cacheSeconds bounds the reuse: a revocation is seen once it has passed', async () => {
		const { clock, validator } = validatorWithClock();
		const raw = issuer.mintOpaque({ expiresIn: 3600 });
		await validator.validate(
			bearer(raw),
			introspectionSettings({ cacheSeconds: 30 }),
			issuerHttp(),
		);
		issuer.revoke(raw);
		await expect(
			validator.validate(bearer(raw), introspectionSettings({ cacheSeconds: 30 }), issuerHttp()),
		).resolves.toBeDefined();
		clock.now += 31 * 1000;
		expectInvalidToken(
			await rejectionOf(
				validator.validate(bearer(raw), introspectionSettings({ cacheSeconds: 30 }), issuerHttp()),
			),
			'inactive',
		);
	});

	test('wrong client secret or unreachable endpoint -> 503, never a silent accept', async () => {
		const { validator } = validatorWithClock();
		const token = bearer(issuer.mintOpaque());
		expect(
			await rejectionOf(validator.validate(token, introspectionSettings(), issuerHttp('wrong'))),
		).toMatchObject({ status: 503 });
		expect(
			await rejectionOf(validator.validate(token, introspectionSettings(), unreachableHttp)),
		).toMatchObject({
			status: 503,
			reason: 'Token validation unavailable',
		});
		issuer.setUnavailable(true);
		try {
			expect(
				await rejectionOf(validator.validate(token, introspectionSettings(), issuerHttp())),
			).toMatchObject({ status: 503 });
		} finally {
			issuer.setUnavailable(false);
		}
	});

	test('an answer without a boolean active -> 503', async () => {
		const { validator } = validatorWithClock();
		const http = { ...issuerHttp(), postForm: async () => ({ status: 200, body: { active: 'true' } }) };
		expect(
			await rejectionOf(validator.validate(bearer('x'), introspectionSettings(), http)),
		).toMatchObject({ status: 503 });
	});
});

test('readOAuth2Settings applies the credential defaults', () => {
	expect(readOAuth2Settings({})).toMatchObject({
		validation: 'jwt',
		allowedAlgorithms: ['RS256'],
		clockToleranceSeconds: 60,
		cacheSeconds: 300,
		requiredScope: '',
	});
});
