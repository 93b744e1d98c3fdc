// Client certificates behind a real nginx (Debian's package, configured from the README's snippet
// examples/nginx-instamed-mtls.conf), with IP allowlist + certificate + proxy secret together,
// in n8n with N8N_PROXY_HOPS=1 (the shared instance) and without it (one started here).
// InstaMed is played by 127.0.0.2; nginx reaches n8n from 127.0.0.1, the trusted proxy address.

// Starting a second n8n takes 20-30 s, longer than the e2e default (support/setup.js).
jest.setTimeout(240_000);

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startN8n, freePort } = require('../../harness/n8n');
const { EVENTS_TABLE } = require('../../harness/workflows');
const { messages, serialise } = require('../../tools/sample-messages');
const {
	sharedN8n,
	mark,
	waitForExecutions,
	executionsAfterSettling,
	tableRowsMarked,
	MARKER_FIELD,
} = require('./support/e2e');
const {
	CERTIFICATE_CLIENT_ADDRESS: INSTAMED,
	CERTIFICATE_SUBJECT,
	certificateProxyWorkflow,
	proxySecretCredential,
} = require('./support/catalog');
const { findNginx, makeCertificates, startNginx, postFrom } = require('./support/nginx');
const { skipWithout } = require('../../harness/system-parts');

const PROXY = '127.0.0.1';
const SUBJECT_SLASHES = `/${CERTIFICATE_SUBJECT.split(',').reverse().join('/')}`;
// Without nginx these skip (named in the run's last line) unless INSTAMED_REQUIRE_SYSTEM_PARTS=1.
const skip = skipWithout('nginx', 'client-certificate-proxy.test.js');

const { e2e, rest } = sharedN8n();
const TABLE = EVENTS_TABLE.name;
const secret = e2e.state.proxySecret;

// One entry per n8n setting; filled in beforeAll.
const settings = {
	'N8N_PROXY_HOPS=1': { scenario: 'certificateProxy' },
	'no N8N_PROXY_HOPS': { scenario: 'certificateProxyNoHops' },
};
let dir;
let certs;
let nginx;
let ownN8n;

(skip ? describe.skip : describe)('client certificate through nginx', () => {
	beforeAll(async () => {
		findNginx();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-nginx-'));
		certs = makeCertificates(dir, SUBJECT_SLASHES);
		// Without N8N_PROXY_HOPS n8n's req.ip is nginx itself; this one also pins the fingerprint
		// nginx reports ($ssl_client_fingerprint, SHA-1).
		const workflow = certificateProxyWorkflow({
			id: 'e2eCertProxyNoHp',
			path: 'e2e-certificate-proxy-no-hops',
			allowedFingerprints: certs.clientSha1,
		});
		ownN8n = await startN8n({
			workflows: [workflow],
			credentials: [proxySecretCredential(secret)],
			dataTables: [EVENTS_TABLE],
		});
		const sharedPort = Number(new URL(e2e.state.baseUrl).port);
		const [hopsPort, noHopsPort] = [await freePort(), await freePort()];
		nginx = await startNginx({
			dir,
			files: certs.files,
			servers: [
				{ listenPort: hopsPort, upstreamPort: sharedPort, secret },
				{ listenPort: noHopsPort, upstreamPort: ownN8n.port, secret },
			],
		});
		Object.assign(settings['N8N_PROXY_HOPS=1'], {
			rest,
			workflowId: e2e.scenario('certificateProxy').id,
			viaNginx: `https://127.0.0.1:${hopsPort}/webhook/${e2e.scenario('certificateProxy').path}`,
			direct: e2e.url('certificateProxy'),
		});
		Object.assign(settings['no N8N_PROXY_HOPS'], {
			rest: ownN8n.rest,
			workflowId: workflow.id,
			viaNginx: `https://127.0.0.1:${noHopsPort}/webhook/e2e-certificate-proxy-no-hops`,
			direct: ownN8n.webhookUrl('e2e-certificate-proxy-no-hops'),
		});
	});

	afterAll(async () => {
		await nginx?.stop();
		await ownN8n?.stop({ removeUserFolder: true });
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	const forgedCertificateHeaders = () => ({
		'X-SSL-Client-Verify': 'SUCCESS',
		'X-SSL-Client-Fingerprint': certs.clientSha1.replace(/:/g, '').toLowerCase(),
		'X-SSL-Client-S-DN': CERTIFICATE_SUBJECT,
	});

	/** Posts a marked Payment Approved; returns the answer and its marker. */
	async function post(setting, label, { via, from, certificate, headers = {} }) {
		const marker = e2e.marker(`cert-${setting.scenario}-${label}`);
		const { body, contentType } = serialise('json', mark(messages.paymentApproved, marker));
		const tls =
			via === 'nginx' ? { ca: certs.ca, ...(certificate ? certs[certificate] : {}) } : undefined;
		const url = via === 'nginx' ? setting.viaNginx : setting.direct;
		const answer = await postFrom({ url, localAddress: from, body, contentType, headers, tls });
		return { answer, marker };
	}

	async function expectRefused(setting, request, status, text) {
		const before = await setting.rest.countExecutions(setting.workflowId);
		const { answer, marker } = await post(setting, request.label, request);
		expect(answer.status).toBe(status);
		if (text !== undefined) expect(answer.text).toBe(text);
		expect(await executionsAfterSettling(setting.rest, setting.workflowId)).toBe(before);
		expect(await tableRowsMarked(setting.rest, TABLE, marker)).toHaveLength(0);
	}

	describe.each(Object.keys(settings))('n8n with %s', (name) => {
		const setting = settings[name];

		test('InstaMed (127.0.0.2) through nginx with the allowed certificate -> 200, stored once', async () => {
			const before = await setting.rest.countExecutions(setting.workflowId);
			const { answer, marker } = await post(setting, 'genuine', {
				via: 'nginx',
				from: INSTAMED,
				certificate: 'client',
			});
			expect(answer).toMatchObject({ status: 200 });
			expect(await waitForExecutions(setting.rest, setting.workflowId, before + 1)).toBe(
				before + 1,
			);
			const rows = await tableRowsMarked(setting.rest, TABLE, marker);
			expect(rows).toHaveLength(1);
			expect(JSON.parse(rows[0].payload)[MARKER_FIELD]).toBe(marker);
		});

		test('through nginx from an address not on the allowlist, claiming 127.0.0.2 in X-Forwarded-For -> 403', async () => {
			await expectRefused(
				setting,
				{
					label: 'not-listed',
					via: 'nginx',
					from: PROXY,
					certificate: 'client',
					headers: { 'X-Forwarded-For': INSTAMED },
				},
				403,
				`Address ${PROXY} not allowed`,
			);
		});

		test('through nginx with another certificate of the same CA -> 403 not allowed', async () => {
			await expectRefused(
				setting,
				{ label: 'other-cert', via: 'nginx', from: INSTAMED, certificate: 'otherClient' },
				403,
				'Client certificate not allowed',
			);
		});

		test.each([
			['no certificate, forged certificate headers', undefined],
			['a self-signed certificate with the allowed subject', 'stranger'],
		])(
			'through nginx with %s -> refused by nginx (400), no execution',
			async (label, certificate) => {
				await expectRefused(
					setting,
					{
						label: `nginx-refuses-${certificate ?? 'none'}`,
						via: 'nginx',
						from: INSTAMED,
						certificate,
						headers: { ...forgedCertificateHeaders(), 'X-Proxy-Secret': secret },
					},
					400,
				);
			},
		);

		test.each([
			['without the secret', {}],
			['even with the leaked secret', { secret: true }],
		])(
			'straight to n8n from 127.0.0.2 with forged certificate headers and X-Forwarded-For: 127.0.0.1, %s -> 403',
			async (label, { secret: withSecret }) => {
				await expectRefused(
					setting,
					{
						label: `forged-direct-${withSecret ? 'secret' : 'nosecret'}`,
						via: 'direct',
						from: INSTAMED,
						headers: {
							...forgedCertificateHeaders(),
							'X-Forwarded-For': PROXY,
							...(withSecret ? { 'X-Proxy-Secret': secret } : {}),
						},
					},
					403,
					'Client certificate headers from an untrusted address',
				);
			},
		);

		test.each([
			['without the secret', {}, 'Proxy secret missing'],
			['with a wrong secret', { 'X-Proxy-Secret': `${secret}x` }, 'Proxy secret wrong'],
		])(
			"straight to n8n from the proxy's own address with forged headers, %s -> 403",
			async (label, extra, reason) => {
				await expectRefused(
					setting,
					{
						label: `forged-local-${reason.split(' ').pop()}`,
						via: 'direct',
						from: PROXY,
						headers: { ...forgedCertificateHeaders(), 'X-Forwarded-For': INSTAMED, ...extra },
					},
					403,
					reason,
				);
			},
		);
	});
});
