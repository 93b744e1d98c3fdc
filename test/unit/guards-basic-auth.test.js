const { thrownBy } = require('./thrown');
const { checkBasicAuth } = require('../../nodes/InstaMedTrigger/guards/basicAuth.ts');

const expected = { username: 'instamed', password: 's3cret:with colon' };
const basic = (text) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

const rejection = (authorization) => thrownBy(() => checkBasicAuth(authorization, expected));

describe('checkBasicAuth', () => {
	test('accepts the configured username and password (a colon in the password is fine)', () => {
		expect(() => checkBasicAuth(basic('instamed:s3cret:with colon'), expected)).not.toThrow();
		expect(() =>
			checkBasicAuth(`basic   ${basic('instamed:s3cret:with colon').slice(6)}`, expected),
		).not.toThrow();
	});

	test.each([undefined, '', '   '])(
		'no credentials (%p) -> 401 challenge, as InstaMed expects first',
		(header) => {
			const error = rejection(header);
			expect(error).toMatchObject({
				status: 401,
				reason: 'Authorization required',
				headers: { 'WWW-Authenticate': 'Basic realm="InstaMed"' },
			});
		},
	);

	test.each([
		['wrong password', basic('instamed:wrong')],
		['wrong username', basic('someone:s3cret:with colon')],
		['password as prefix', basic('instamed:s3cret')],
		['no colon', basic('instamed')],
		['not base64', 'Basic !!!notbase64'],
		['other scheme', 'Bearer abc.def.ghi'],
		['scheme only', 'Basic'],
	])('%s -> 401 Invalid credentials with the challenge', (_name, header) => {
		expect(rejection(header)).toMatchObject({
			status: 401,
			reason: 'Invalid credentials',
			headers: { 'WWW-Authenticate': 'Basic realm="InstaMed"' },
		});
	});

	test('non-ASCII credentials are compared as UTF-8', () => {
		const unicode = { username: 'zoë', password: 'pässwörd' };
		expect(() => checkBasicAuth(basic('zoë:pässwörd'), unicode)).not.toThrow();
	});
});
