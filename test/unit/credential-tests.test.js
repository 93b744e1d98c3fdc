const { generateKeyPairSync } = require('node:crypto');
const {
	credentialTests,
	judgeJwksAnswer,
	judgeIntrospectionAnswer,
} = require('../../nodes/InstaMedTrigger/credentialTest/credentialTests.ts');
const { InstaMedOAuth2Api } = require('../../credentials/InstaMedOAuth2Api.credentials.ts');

const basicTest = (data) =>
	credentialTests.instaMedBasicApiTest({
		id: '1',
		name: 'InstaMed',
		type: 'instaMedBasicApi',
		data,
	});

describe('instaMedBasicApiTest', () => {
	test('a username without ":" and a password pass', async () => {
		await expect(basicTest({ username: 'instamed', password: 'x' })).resolves.toMatchObject({
			status: 'OK',
		});
	});
	test.each([
		[{ username: '', password: 'x' }, 'Misconfigured: Username missing'],
		[{ username: 'in:stamed', password: 'x' }, 'Misconfigured: Username contains ":"'],
		[{ username: 'instamed', password: '' }, 'Misconfigured: Password missing'],
		[{}, 'Misconfigured: Username missing; Password missing'],
	])('%p -> Error', async (data, message) => {
		await expect(basicTest(data)).resolves.toEqual({ status: 'Error', message });
	});
});

describe('instaMedProxySecretApiTest', () => {
	const proxyTest = (secret) =>
		credentialTests.instaMedProxySecretApiTest({
			id: '2',
			name: 'Proxy',
			type: 'instaMedProxySecretApi',
			data: { secret },
		});

	test('16 or more printable characters pass', async () => {
		await expect(proxyTest('0123456789abcdef')).resolves.toMatchObject({ status: 'OK' });
	});
	test.each([
		['', 'Misconfigured: Secret shorter than 16 characters'],
		['fifteen chars..', 'Misconfigured: Secret shorter than 16 characters'],
		['sixteen chars with spaces', 'Misconfigured: Secret not printable ASCII without spaces'],
	])('%p -> Error', async (secret, message) => {
		await expect(proxyTest(secret)).resolves.toEqual({ status: 'Error', message });
	});
});

describe('InstaMed OAuth2 credential', () => {
	const credential = new InstaMedOAuth2Api();

	test('adds the client credentials to introspection requests only', async () => {
		const request = { url: 'https://sso.example/introspect', method: 'POST' };
		await expect(
			credential.authenticate(
				{ validation: 'introspection', clientId: 'id', clientSecret: 'secret' },
				request,
			),
		).resolves.toEqual({ ...request, auth: { username: 'id', password: 'secret' } });
		await expect(
			credential.authenticate({ validation: 'jwt', clientId: '', clientSecret: '' }, request),
		).resolves.toBe(request);
	});

	test('is tested by the trigger (a declarative test would pass any JSON), with OAuth2 in its default name', () => {
		expect(credential.test).toBeUndefined();
		expect(credential.displayName.split(' ')).toContain('(OAuth2)');
		expect(credential.hideDomainRestrictionFields).toBe(true);
	});

	test('field defaults match the validator defaults', () => {
		const defaults = Object.fromEntries(credential.properties.map((p) => [p.name, p.default]));
		expect(defaults).toMatchObject({
			validation: 'jwt',
			allowedAlgorithms: ['RS256'],
			clockToleranceSeconds: 60,
			cacheSeconds: 300,
		});
	});
});

describe('instaMedOAuth2ApiTest', () => {
	const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' }] };
	const JWKS_URL = 'https://sso.example.test/pf/JWKS';
	const jwt = (overrides = {}) => ({
		validation: 'jwt',
		jwksUrl: JWKS_URL,
		issuer: 'https://sso.example.test',
		audience: 'instamed-webhook',
		...overrides,
	});

	/** Runs the test with n8n's legacy request helper replaced by `respond(options)`. */
	async function run(data, respond) {
		const calls = [];
		const context = {
			helpers: {
				request: async (options) => {
					calls.push(options);
					return await respond(options);
				},
			},
		};
		const result = await credentialTests.instaMedOAuth2ApiTest.call(context, {
			id: '1',
			name: 'InstaMed (OAuth2)',
			type: 'instaMedOAuth2Api',
			data,
		});
		return { result, calls };
	}

	test('a JWKS with a signing key -> OK, after one GET of that URL', async () => {
		const { result, calls } = await run(jwt(), async () => ({
			statusCode: 200,
			body: JSON.stringify(jwks),
		}));
		expect(result).toEqual({ status: 'OK', message: `${JWKS_URL} holds 1 signing key` });
		expect(calls).toMatchObject([{ method: 'GET', uri: JWKS_URL, simple: false }]);
	});

	test('n8n\'s /healthz ({"status":"ok"}) is not a JWKS -> Error naming the URL and what it must be', async () => {
		const url = 'http://localhost:5678/healthz';
		const { result } = await run(jwt({ jwksUrl: url }), async () => ({
			statusCode: 200,
			body: '{"status":"ok"}',
		}));
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`${url} answered, but not with a key set`);
		expect(result.message).toContain('JSON Web Key Set');
	});

	test.each([
		['ENOTFOUND', 'host not found'],
		['ECONNREFUSED', 'connection refused'],
	])('a network error %s -> Error naming the URL', async (code, meaning) => {
		const { result } = await run(jwt(), async () => {
			throw Object.assign(new Error('failed'), { cause: { code } });
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			`Could not fetch the JWKS URL ${JWKS_URL}: ${code} (${meaning}).`,
		);
	});

	test('404 -> Error naming the URL and the status', () => {
		expect(judgeJwksAnswer(JWKS_URL, { status: 404, body: 'Not Found' }).message).toMatch(
			/^Could not fetch the JWKS URL https:\/\/sso\.example\.test\/pf\/JWKS: HTTP 404\. It must be/,
		);
	});

	test('an empty key set and a missing URL -> Error', () => {
		expect(judgeJwksAnswer(JWKS_URL, { status: 200, body: { keys: [] } }).status).toBe('Error');
		expect(judgeJwksAnswer('', { networkCode: 'no URL' }).message).toMatch(/^Enter the JWKS URL/);
	});

	test.each([
		[{ audience: '' }, 'Misconfigured: Audience missing'],
		[{ issuer: ' ' }, 'Misconfigured: Issuer missing'],
		[{ jwksUrl: '' }, 'Misconfigured: JWKS URL missing'],
		[{ jwksUrl: 'http://sso.example.test/pf/JWKS' }, 'Misconfigured: JWKS URL not https'],
		[{ jwksUrl: 'sso.example.test/pf/JWKS' }, 'Misconfigured: JWKS URL not a URL'],
		[{ allowedAlgorithms: [] }, 'Misconfigured: Allowed Algorithms empty'],
		[
			{ clockToleranceSeconds: 301 },
			'Misconfigured: Clock Tolerance not between 0 and 300 seconds',
		],
		[
			{ validation: 'introspection', introspectionUrl: 'http://sso.example.test/introspect' },
			'Misconfigured: Introspection URL not https; Client ID missing; Client Secret missing',
		],
	])(
		'what the trigger would refuse (%p) -> Error naming the fields, no call',
		async (change, message) => {
			const { result, calls } = await run(jwt(change), async () => {
				throw new Error('no call expected');
			});
			expect(result).toEqual({ status: 'Error', message });
			expect(calls).toHaveLength(0);
		},
	);

	test.each(['http://localhost:8080/jwks', 'http://127.0.0.1:8080/jwks', 'http://[::1]:8080/jwks'])(
		'plain http to this machine (%s) is allowed',
		async (jwksUrl) => {
			const { result } = await run(jwt({ jwksUrl }), async () => ({
				statusCode: 200,
				body: JSON.stringify(jwks),
			}));
			expect(result.status).toBe('OK');
		},
	);

	const INTROSPECT = 'https://sso.example.test/as/introspect.oauth2';
	const introspection = {
		validation: 'introspection',
		introspectionUrl: INTROSPECT,
		clientId: 'client',
		clientSecret: 'secret',
	};

	test('introspection: the client accepted and an invented token inactive -> OK; Basic client auth sent', async () => {
		const { result, calls } = await run(introspection, async () => ({
			statusCode: 200,
			body: { active: false },
		}));
		expect(result.status).toBe('OK');
		expect(calls[0]).toMatchObject({ method: 'POST', uri: INTROSPECT });
		expect(calls[0].headers.Authorization).toBe(
			`Basic ${Buffer.from('client:secret').toString('base64')}`,
		);
	});

	test.each([
		[{ status: 401, body: '' }, 'refused the client ID and secret (HTTP 401)'],
		[{ status: 200, body: { active: true } }, 'called an invented token active'],
		[{ status: 200, body: { status: 'ok' } }, 'answered without "active"'],
		[{ networkCode: 'ECONNREFUSED' }, `Could not fetch the introspection URL ${INTROSPECT}`],
	])('introspection answer %p -> Error', (answer, message) => {
		const result = judgeIntrospectionAnswer(INTROSPECT, answer);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(message);
	});
});
