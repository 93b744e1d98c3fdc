const { credentialTests } = require('../../nodes/InstaMedTrigger/guards/credentialTests.ts');
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
		[{ username: '', password: 'x' }, 'Enter a username'],
		[
			{ username: 'in:stamed', password: 'x' },
			'The username must not contain ":" (Basic authentication)',
		],
		[{ username: 'instamed', password: '' }, 'Enter a password'],
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
		['', 'Enter a secret of at least 16 characters'],
		['short', 'Enter a secret of at least 16 characters'],
		[
			'sixteen chars with spaces',
			'Use printable ASCII without spaces: the proxy sends the secret as a header value',
		],
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

	test('its test calls the endpoint of the chosen mode and refuses an empty JWKS or an always-active introspection', () => {
		expect(credential.test.request.url).toContain('$credentials.jwksUrl');
		expect(credential.test.request.url).toContain('$credentials.introspectionUrl');
		expect(
			credential.test.rules.map((rule) => [rule.properties.key, rule.properties.value]),
		).toEqual([
			['keys.length', 0],
			['active', true],
		]);
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
