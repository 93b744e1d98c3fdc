const {
	checkClientCertificate,
	checkProxyCertificateHeaders,
	parseFingerprints,
} = require('../../nodes/InstaMedTrigger/guards/clientCertificate.ts');
const { parseIpAllowlist } = require('../../nodes/InstaMedTrigger/guards/ipAllowlist.ts');

const SHA1 = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01';
const SHA256 = 'a'.repeat(64);
const SUBJECT = 'CN=instamed-webhooks,O=InstaMed,C=US';

function rejection(run) {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

const proxySettings = (allowed = { fingerprints: parseFingerprints(SHA1), subject: '' }) => ({
	trustedProxies: parseIpAllowlist('10.0.0.5, fd00::/8'),
	headers: {
		verify: 'X-SSL-Client-Verify',
		fingerprint: 'X-SSL-Client-Fingerprint',
		subject: 'X-SSL-Client-S-DN',
	},
	allowed,
});

const proxied = (headers, ip = '10.0.0.5') => ({
	ip,
	headers: Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
	),
});

const goodHeaders = {
	'X-SSL-Client-Verify': 'SUCCESS',
	'X-SSL-Client-Fingerprint': 'abcdef0123456789abcdef0123456789abcdef01',
	'X-SSL-Client-S-DN': SUBJECT,
};

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

describe('client certificate verified by a TLS-terminating proxy', () => {
	test('a verified, allowed certificate from the proxy passes (IPv4 and IPv6 proxies)', () => {
		expect(() => checkClientCertificate(proxied(goodHeaders), proxySettings())).not.toThrow();
		expect(() =>
			checkClientCertificate(proxied(goodHeaders, 'fd00::12'), proxySettings()),
		).not.toThrow();
	});

	test('forged certificate headers from an untrusted address -> 403', () => {
		const forged = proxied({ ...goodHeaders, 'X-Forwarded-For': '10.0.0.5' }, '203.0.113.66');
		expect(rejection(() => checkClientCertificate(forged, proxySettings()))).toMatchObject({
			status: 403,
			reason: 'Client certificate headers from an untrusted address',
		});
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
		const error = rejection(() =>
			checkClientCertificate(proxied({ ...goodHeaders, ...change }), proxySettings()),
		);
		expect(error).toMatchObject({ status: 403, reason });
	});

	test('subject only, fingerprint only, or both must all match', () => {
		const subjectOnly = proxySettings({ fingerprints: [], subject: SUBJECT });
		expect(() => checkClientCertificate(proxied(goodHeaders), subjectOnly)).not.toThrow();
		const otherSubject = proxied({
			...goodHeaders,
			'X-SSL-Client-S-DN': 'CN=someone-else,O=InstaMed,C=US',
		});
		expect(rejection(() => checkClientCertificate(otherSubject, subjectOnly))).toMatchObject({
			reason: 'Client certificate not allowed',
		});
		const both = proxySettings({ fingerprints: parseFingerprints(SHA1), subject: SUBJECT });
		expect(rejection(() => checkClientCertificate(otherSubject, both))).toMatchObject({
			reason: 'Client certificate not allowed',
		});
	});

	test('header names are configurable (case-insensitive)', () => {
		const settings = {
			...proxySettings(),
			headers: { verify: 'SSL-Verify', fingerprint: 'SSL-FP', subject: 'SSL-DN' },
		};
		const request = proxied({ 'ssl-verify': 'SUCCESS', 'SSL-FP': SHA1, 'SSL-DN': SUBJECT });
		expect(() => checkProxyCertificateHeaders(request.ip, request.headers, settings)).not.toThrow();
	});

	test('null settings: the check is off', () => {
		expect(() => checkClientCertificate(proxied({}, '203.0.113.66'), null)).not.toThrow();
	});
});
