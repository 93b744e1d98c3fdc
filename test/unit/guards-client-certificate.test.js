const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const {
	checkClientCertificate,
	checkPeerCertificate,
	checkProxyCertificateHeaders,
	formatDistinguishedName,
	parseFingerprints,
	readPeerCertificate,
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
	mode: 'proxyHeaders',
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

describe('client certificate from the TLS socket', () => {
	const certificate = {
		fingerprint: SHA1,
		fingerprint256: SHA256.toUpperCase().match(/../g).join(':'),
		subject: { C: 'US', O: 'InstaMed', CN: 'instamed-webhooks' },
	};

	test.each([
		['SHA-1', { fingerprints: parseFingerprints(SHA1), subject: '' }],
		['SHA-256', { fingerprints: parseFingerprints(SHA256), subject: '' }],
		['subject', { fingerprints: [], subject: SUBJECT }],
	])('an authorized certificate allowed by %s passes', (_name, allowed) => {
		expect(() => checkPeerCertificate({ authorized: true, certificate }, allowed)).not.toThrow();
	});

	test.each([
		['a plain socket', readPeerCertificate({}), 'Client certificate required'],
		['no certificate sent', { authorized: false, certificate: {} }, 'Client certificate required'],
		[
			'not verified by the CA',
			{ authorized: false, certificate },
			'Client certificate not verified',
		],
		[
			'another certificate',
			{
				authorized: true,
				certificate: { ...certificate, fingerprint: 'ff', fingerprint256: 'ee' },
			},
			'Client certificate not allowed',
		],
	])('%s -> 403', (_name, peer, reason) => {
		const error = rejection(() =>
			checkPeerCertificate(peer, { fingerprints: parseFingerprints(SHA1), subject: '' }),
		);
		expect(error).toMatchObject({ status: 403, reason });
	});

	test('subjects are written most specific first with RFC 4514 escaping', () => {
		expect(formatDistinguishedName({ C: 'US', O: 'Acme, Inc', OU: ['a', 'b'], CN: 'x' })).toBe(
			'CN=x,OU=b,OU=a,O=Acme\\, Inc,C=US',
		);
	});
});

const openssl = (() => {
	try {
		execFileSync('openssl', ['version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
})();

// Needs the openssl CLI to issue certificates; without it this single case is skipped.
(openssl ? describe : describe.skip)('with a real TLS server and client certificate', () => {
	let dir;
	const file = (name) => path.join(dir, name);

	function writeKey(name) {
		const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
		fs.writeFileSync(file(name), privateKey.export({ format: 'pem', type: 'pkcs8' }));
	}

	function selfSigned(name, subject) {
		writeKey(`${name}.key`);
		execFileSync('openssl', [
			'req',
			'-x509',
			'-new',
			'-key',
			file(`${name}.key`),
			'-subj',
			subject,
			'-days',
			'2',
			'-out',
			file(`${name}.pem`),
		]);
	}

	function issuedByCa(name, subject) {
		writeKey(`${name}.key`);
		execFileSync('openssl', [
			'req',
			'-new',
			'-key',
			file(`${name}.key`),
			'-subj',
			subject,
			'-out',
			file(`${name}.csr`),
		]);
		execFileSync('openssl', [
			'x509',
			'-req',
			'-in',
			file(`${name}.csr`),
			'-CA',
			file('ca.pem'),
			'-CAkey',
			file('ca.key'),
			'-CAcreateserial',
			'-days',
			'2',
			'-out',
			file(`${name}.pem`),
		]);
	}

	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-mtls-'));
		selfSigned('ca', '/CN=Test CA');
		selfSigned('server', '/CN=localhost');
		issuedByCa('client', '/C=US/O=InstaMed/CN=instamed-webhooks');
		selfSigned('stranger', '/C=US/O=InstaMed/CN=instamed-webhooks');
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	async function answerFor(clientName, allowed) {
		const server = https.createServer(
			{
				key: fs.readFileSync(file('server.key')),
				cert: fs.readFileSync(file('server.pem')),
				ca: fs.readFileSync(file('ca.pem')),
				requestCert: true,
				rejectUnauthorized: false,
			},
			(req, res) => {
				try {
					checkClientCertificate(
						{ ip: req.socket.remoteAddress, headers: req.headers, socket: req.socket },
						{ mode: 'tlsSocket', allowed },
					);
					res.end('OK');
				} catch (error) {
					res.end(`${error.status} ${error.reason}`);
				}
			},
		);
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			return await new Promise((resolve, reject) => {
				const request = https.request(
					{
						host: '127.0.0.1',
						port: server.address().port,
						method: 'POST',
						rejectUnauthorized: false,
						...(clientName
							? {
									key: fs.readFileSync(file(`${clientName}.key`)),
									cert: fs.readFileSync(file(`${clientName}.pem`)),
								}
							: {}),
					},
					(res) => {
						let body = '';
						res.on('data', (chunk) => (body += chunk));
						res.on('end', () => resolve(body));
					},
				);
				request.on('error', reject);
				request.end();
			});
		} finally {
			server.close();
		}
	}

	test('the socket certificate is checked by fingerprint and subject', async () => {
		const client = new crypto.X509Certificate(fs.readFileSync(file('client.pem')));
		const bySha256 = { fingerprints: parseFingerprints(client.fingerprint256), subject: '' };
		expect(await answerFor('client', bySha256)).toBe('OK');
		expect(
			await answerFor('client', {
				fingerprints: parseFingerprints(client.fingerprint),
				subject: SUBJECT,
			}),
		).toBe('OK');
		expect(
			await answerFor('client', { fingerprints: parseFingerprints(SHA256), subject: '' }),
		).toBe('403 Client certificate not allowed');
		expect(await answerFor('stranger', bySha256)).toBe('403 Client certificate not verified');
		expect(await answerFor(undefined, bySha256)).toBe('403 Client certificate required');
	});
});
