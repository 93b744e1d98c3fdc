// Client certificates verified by a TLS-terminating proxy: who counts as the proxy (the TCP peer,
// plus an optional shared secret), which address the allowlist judges, and the certificate headers.
const { thrownBy } = require('./thrown');
const {
	checkProxyCertificateHeaders,
	parseFingerprints,
} = require('../../nodes/InstaMedTrigger/guards/clientCertificate.ts');
const {
	checkProxySecret,
	checkTrustedProxy,
	forwardedClientAddress,
	parseHeaderName,
} = require('../../nodes/InstaMedTrigger/guards/trustedProxy.ts');
const { checkCaller } = require('../../nodes/InstaMedTrigger/guards/checkCaller.ts');
const { parseIpAllowlist } = require('../../nodes/InstaMedTrigger/guards/ipAllowlist.ts');

const SHA1 = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01';
const SHA256 = 'a'.repeat(64);
const SUBJECT = 'CN=instamed-webhooks,O=InstaMed,C=US';
const SECRET = 'proxy-secret-0123456789';
const PROXY = '10.0.0.5';

async function asyncRejection(promise) {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

const lowerCased = (headers) =>
	Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

const certificateSettings = (overrides = {}) => ({
	trustedProxies: parseIpAllowlist(`${PROXY}, fd00::/8`),
	proxySecretHeader: null,
	headers: {
		verify: 'X-SSL-Client-Verify',
		fingerprint: 'X-SSL-Client-Fingerprint',
		subject: 'X-SSL-Client-S-DN',
	},
	allowed: { fingerprints: parseFingerprints(SHA1), subject: '' },
	...overrides,
});

const goodHeaders = {
	'X-SSL-Client-Verify': 'SUCCESS',
	'X-SSL-Client-Fingerprint': 'abcdef0123456789abcdef0123456789abcdef01',
	'X-SSL-Client-S-DN': SUBJECT,
};

/** A request as express gives it: `ip` is n8n's (X-Forwarded-For under N8N_PROXY_HOPS), `socket` the TCP peer. */
const request = ({ peer = PROXY, ip = peer, headers = {} } = {}) => ({
	ip,
	socket: { remoteAddress: peer },
	headers: lowerCased(headers),
});

describe('parseFingerprints', () => {
	test('normalises colons and case; accepts SHA-1 and SHA-256', () => {
		expect(parseFingerprints(`${SHA1}\n${SHA256.toUpperCase()}`)).toEqual([
			'abcdef0123456789abcdef0123456789abcdef01',
			SHA256,
		]);
	});
	test('anything else is a configuration error naming the entry', () => {
		expect(() => parseFingerprints('abc123')).toThrow(
			'"abc123" is not a SHA-1 or SHA-256 certificate fingerprint',
		);
	});
});

describe('the certificate headers a trusted proxy sends', () => {
	const check =
		(headers, settings = certificateSettings()) =>
		() =>
			checkProxyCertificateHeaders(lowerCased(headers), settings);

	test('a verified, allowed certificate passes', () => {
		expect(check(goodHeaders)).not.toThrow();
	});

	test.each([
		['no verify header', { 'X-SSL-Client-Verify': undefined }, 'Client certificate required'],
		[
			'NONE (no certificate sent)',
			{ 'X-SSL-Client-Verify': 'NONE' },
			'Client certificate required',
		],
		[
			'FAILED',
			{ 'X-SSL-Client-Verify': 'FAILED:certificate has expired' },
			'Client certificate not verified',
		],
		[
			'duplicated verify header',
			{ 'X-SSL-Client-Verify': ['SUCCESS', 'SUCCESS'] },
			'Client certificate required',
		],
		[
			'other fingerprint',
			{ 'X-SSL-Client-Fingerprint': 'ff'.repeat(20) },
			'Client certificate not allowed',
		],
		['no fingerprint', { 'X-SSL-Client-Fingerprint': undefined }, 'Client certificate not allowed'],
	])('%s -> 403', (_name, change, reason) => {
		expect(thrownBy(check({ ...goodHeaders, ...change }))).toMatchObject({ status: 403, reason });
	});

	test('subject only, fingerprint only, or both must all match', () => {
		const subjectOnly = certificateSettings({ allowed: { fingerprints: [], subject: SUBJECT } });
		expect(check(goodHeaders, subjectOnly)).not.toThrow();
		const otherSubject = { ...goodHeaders, 'X-SSL-Client-S-DN': 'CN=someone-else,O=InstaMed,C=US' };
		expect(thrownBy(check(otherSubject, subjectOnly))).toMatchObject({
			reason: 'Client certificate not allowed',
		});
		const both = certificateSettings({
			allowed: { fingerprints: parseFingerprints(SHA1), subject: SUBJECT },
		});
		expect(check(goodHeaders, both)).not.toThrow();
		expect(thrownBy(check(otherSubject, both))).toMatchObject({
			reason: 'Client certificate not allowed',
		});
	});

	test('header names are configurable (case-insensitive)', () => {
		const settings = certificateSettings({
			headers: { verify: 'SSL-Verify', fingerprint: 'SSL-FP', subject: 'SSL-DN' },
		});
		expect(
			check({ 'ssl-verify': 'SUCCESS', 'SSL-FP': SHA1, 'SSL-DN': SUBJECT }, settings),
		).not.toThrow();
	});
});

describe('is this the proxy? The TCP peer, never a header', () => {
	const trusted = parseIpAllowlist(`${PROXY}, fd00::/8`);

	test('the proxy (IPv4, IPv6, IPv4-mapped) passes', () => {
		for (const peer of [PROXY, 'fd00::12', `::ffff:${PROXY}`]) {
			expect(() => checkTrustedProxy(request({ peer }), trusted)).not.toThrow();
		}
	});

	test('another peer is refused even when n8n took the proxy address from X-Forwarded-For', () => {
		// What N8N_PROXY_HOPS=1 makes of a direct call forging X-Forwarded-For: req.ip is the proxy.
		const forged = request({
			peer: '203.0.113.66',
			ip: PROXY,
			headers: { ...goodHeaders, 'X-Forwarded-For': PROXY },
		});
		expect(thrownBy(() => checkTrustedProxy(forged, trusted))).toMatchObject({
			status: 403,
			reason: 'Client certificate headers from an untrusted address',
		});
	});

	test('no socket address -> refused', () => {
		const noPeer = { ip: PROXY, headers: {}, socket: {} };
		expect(thrownBy(() => checkTrustedProxy(noPeer, trusted)).status).toBe(403);
	});
});

describe('the shared secret the proxy sets', () => {
	const headers = (value) => (value === undefined ? {} : { 'x-proxy-secret': value });

	test('the right secret passes, in the configured header whatever its case', () => {
		expect(() => checkProxySecret(headers(SECRET), 'X-Proxy-Secret', SECRET)).not.toThrow();
	});

	test.each([
		['absent', undefined, 'Proxy secret missing'],
		['empty', '', 'Proxy secret missing'],
		['repeated', [SECRET, SECRET], 'Proxy secret missing'],
		['wrong', `${SECRET}x`, 'Proxy secret wrong'],
		['a prefix of it', SECRET.slice(0, 8), 'Proxy secret wrong'],
	])('%s -> 403', (_name, value, reason) => {
		expect(
			thrownBy(() => checkProxySecret(headers(value), 'X-Proxy-Secret', SECRET)),
		).toMatchObject({
			status: 403,
			reason,
		});
	});

	test('an empty configured secret accepts nothing', () => {
		expect(thrownBy(() => checkProxySecret(headers('x'), 'X-Proxy-Secret', '')).reason).toBe(
			'Proxy secret wrong',
		);
	});

	test('header names must be HTTP tokens', () => {
		expect(parseHeaderName(' X-Proxy-Secret ')).toBe('X-Proxy-Secret');
		expect(() => parseHeaderName('X Proxy')).toThrow('"X Proxy" is not a valid header name');
		expect(() => parseHeaderName('')).toThrow('is not a valid header name');
	});
});

describe('the client address the allowlist judges behind a trusted proxy', () => {
	test('without N8N_PROXY_HOPS (req.ip is the proxy): the last X-Forwarded-For entry', () => {
		const req = request({ headers: { 'X-Forwarded-For': '52.0.168.18, 34.236.206.189' } });
		expect(forwardedClientAddress(req)).toBe('34.236.206.189');
	});

	test("with N8N_PROXY_HOPS (req.ip differs from the peer): n8n's req.ip", () => {
		const req = request({
			ip: '52.0.168.18',
			headers: { 'X-Forwarded-For': '52.0.168.18, 10.9.9.9' },
		});
		expect(forwardedClientAddress(req)).toBe('52.0.168.18');
	});

	test('repeated X-Forwarded-For headers count as one list', () => {
		const req = request({ headers: { 'X-Forwarded-For': ['1.1.1.1', '2.2.2.2 , '] } });
		expect(forwardedClientAddress(req)).toBe('2.2.2.2');
	});

	test('no X-Forwarded-For: the proxy itself', () => {
		expect(forwardedClientAddress(request())).toBe(PROXY);
	});
});

describe('checkCaller: proxy, secret, allowlist and certificate together', () => {
	const context = (secret = SECRET) => {
		const asked = [];
		return {
			asked,
			getCredentials: async (type) => {
				asked.push(type);
				return { secret };
			},
			getNode: () => ({ name: 'InstaMed Trigger', credentials: {} }),
		};
	};
	const settings = (overrides = {}) => ({
		ipAllowlist: parseIpAllowlist('34.236.206.189'),
		clientCertificate: certificateSettings({ proxySecretHeader: 'X-Proxy-Secret' }),
		...overrides,
	});
	const through = (client, extra = {}) =>
		request({
			headers: {
				...goodHeaders,
				'X-Proxy-Secret': SECRET,
				'X-Forwarded-For': client,
				...extra,
			},
		});

	test('InstaMed through the proxy with the allowed certificate and the secret passes', async () => {
		const ctx = context();
		await expect(checkCaller(ctx, through('34.236.206.189'), settings())).resolves.toBeUndefined();
		expect(ctx.asked).toEqual(['instaMedProxySecretApi']);
	});

	test.each([
		[
			'a forged direct call (N8N_PROXY_HOPS made req.ip the proxy)',
			{ ...request({ peer: '127.0.0.2', ip: PROXY }), headers: through('').headers },
			'Client certificate headers from an untrusted address',
		],
		[
			'the proxy address without the secret',
			request({ headers: { ...goodHeaders, 'X-Forwarded-For': '34.236.206.189' } }),
			'Proxy secret missing',
		],
		[
			'a client outside the allowlist through the proxy',
			through('198.51.100.1'),
			'Address 198.51.100.1 not allowed',
		],
		[
			'a client that writes an allowed address first in X-Forwarded-For',
			through('34.236.206.189, 198.51.100.1'),
			'Address 198.51.100.1 not allowed',
		],
		[
			'an allowed client without a certificate',
			through('34.236.206.189', { 'X-SSL-Client-Verify': 'NONE' }),
			'Client certificate required',
		],
	])('%s -> 403', async (_name, req, reason) => {
		expect(await asyncRejection(checkCaller(context(), req, settings()))).toMatchObject({
			status: 403,
			reason,
		});
	});

	test('a proxy secret under 16 characters -> misconfigured, even when the proxy sends it', async () => {
		const short = 'fifteen-chars..';
		const req = through('34.236.206.189', { 'X-Proxy-Secret': short });
		expect(await asyncRejection(checkCaller(context(short), req, settings()))).toMatchObject({
			name: 'TriggerMisconfigured',
			message: 'instaMedProxySecretApi credential: Secret shorter than 16 characters',
		});
	});

	test('no secret configured: the credential is never read', async () => {
		const ctx = context();
		const noSecret = settings({ clientCertificate: certificateSettings() });
		await expect(checkCaller(ctx, through('34.236.206.189'), noSecret)).resolves.toBeUndefined();
		expect(ctx.asked).toEqual([]);
	});

	test("certificates off: the allowlist judges n8n's req.ip, as before", async () => {
		const off = settings({ clientCertificate: null });
		await expect(
			checkCaller(context(), request({ peer: '127.0.0.1', ip: '34.236.206.189' }), off),
		).resolves.toBeUndefined();
		expect(
			await asyncRejection(
				checkCaller(context(), request({ peer: '34.236.206.189', ip: '127.0.0.1' }), off),
			),
		).toMatchObject({ status: 403, reason: 'Address 127.0.0.1 not allowed' });
	});

	test('both off: everything passes', async () => {
		const off = { ipAllowlist: null, clientCertificate: null };
		await expect(
			checkCaller(context(), request({ peer: '198.51.100.1' }), off),
		).resolves.toBeUndefined();
	});
});
