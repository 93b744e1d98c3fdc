// The trigger credentials' "Test" button, as n8n runs it (POST /rest/credentials/test): the
// OAuth2 credential's test (the trigger's instaMedOAuth2ApiTest) must reach the JWKS and find keys,
// or the introspection endpoint with the client's credentials; the Basic one runs its own check.
const { startOAuthIssuer } = require('../../harness/oauth-issuer');
const { CREDENTIALS, credential } = require('../../harness/credentials');
const { sharedN8n } = require('./support/e2e');

const { e2e, rest } = sharedN8n();
let issuer;

beforeAll(async () => {
	issuer = await startOAuthIssuer();
});

afterAll(async () => {
	await issuer?.close();
});

/** n8n tests the data it is given without storing it, so the shared credentials stay as they are. */
async function testCredential(ref, data) {
	return await rest.request('POST', '/credentials/test', { credentials: credential(ref, data) });
}

const jwtData = (overrides = {}) =>
	issuer.credentialData('jwt', {
		allowedAlgorithms: ['RS256'],
		clockToleranceSeconds: 60,
		...overrides,
	});

const introspectionData = (overrides = {}) =>
	issuer.credentialData('introspection', { cacheSeconds: 300, ...overrides });

describe('InstaMed OAuth2 API credential test', () => {
	test('JWT: a JWKS that answers with keys -> OK, and the issuer saw the request', async () => {
		const before = issuer.requests.jwks;
		const result = await testCredential(CREDENTIALS.jwt, jwtData());
		expect(result.status).toBe('OK');
		expect(issuer.requests.jwks).toBe(before + 1);
	});

	test('JWT: a JWKS URL that does not answer -> Error', async () => {
		const result = await testCredential(
			CREDENTIALS.jwt,
			jwtData({ jwksUrl: 'http://127.0.0.1:9/jwks.json' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Could not fetch the JWKS URL http://127.0.0.1:9/jwks.json');
	});

	test("JWT: a URL that answers JSON but is not a JWKS (n8n's /healthz) -> Error saying so", async () => {
		const url = `${e2e.state.baseUrl}/healthz`;
		const result = await testCredential(CREDENTIALS.jwt, jwtData({ jwksUrl: url }));
		expect(result).toMatchObject({
			status: 'Error',
			message: expect.stringContaining(`${url} answered, but not with a key set`),
		});
	});

	test.each([
		[{ audience: '' }, 'Misconfigured: Audience missing'],
		[{ issuer: '' }, 'Misconfigured: Issuer missing'],
		[{ jwksUrl: 'http://sso.example.test/jwks.json' }, 'Misconfigured: JWKS URL not https'],
		[
			{ clockToleranceSeconds: 3600 },
			'Misconfigured: Clock Tolerance not between 0 and 300 seconds',
		],
	])(
		'JWT: what the trigger would refuse (%p) -> Error naming it, the JWKS not fetched',
		async (change, message) => {
			const before = issuer.requests.jwks;
			const result = await testCredential(CREDENTIALS.jwt, jwtData(change));
			expect(result).toEqual({ status: 'Error', message });
			expect(issuer.requests.jwks).toBe(before);
		},
	);

	test('introspection: the client is accepted -> OK, with one introspection call', async () => {
		const before = issuer.requests.introspect;
		const result = await testCredential(CREDENTIALS.introspection, introspectionData());
		expect(result.status).toBe('OK');
		expect(issuer.requests.introspect).toBe(before + 1);
	});

	test('introspection: a wrong client secret -> Error', async () => {
		const result = await testCredential(
			CREDENTIALS.introspection,
			introspectionData({ clientSecret: 'not-the-secret' }),
		);
		expect(result.status).toBe('Error');
	});
});

describe('InstaMed Basic API credential test', () => {
	test('a usable username and password -> OK', async () => {
		const result = await testCredential(CREDENTIALS.basic, {
			username: 'instamed',
			password: 'a-password',
		});
		expect(result.status).toBe('OK');
	});

	test.each([
		[{ username: 'instamed', password: '' }, 'Misconfigured: Password missing'],
		[{ username: '', password: '' }, 'Misconfigured: Username missing; Password missing'],
	])('%p, which the trigger would refuse -> Error naming the fields', async (data, message) => {
		const result = await testCredential(CREDENTIALS.basic, data);
		expect(result).toEqual({ status: 'Error', message });
	});

	test('a username with ":" cannot be sent with Basic authentication -> Error', async () => {
		const result = await testCredential(CREDENTIALS.basic, {
			username: 'insta:med',
			password: 'a-password',
		});
		expect(result).toMatchObject({ status: 'Error', message: expect.stringContaining(':') });
	});
});
