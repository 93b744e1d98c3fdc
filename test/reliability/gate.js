// InstaMed's posts reach n8n the way the README asks production to be set up: through its nginx
// block (examples/nginx-instamed-mtls.conf, Debian's nginx) with a client certificate. Its
// readiness gate turns n8n's own "200 n8n is starting up" (answered while n8n migrates its
// database after a restart, before any workflow can run) into a 503 InstaMed retries.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { freePort } = require('../../harness/n8n');
const { findNginx, makeCertificates, startNginx } = require('../e2e/support/nginx');

/** nginx in front of n8n's `upstreamPort`; resolves to { url(path), tls, stop() }. */
async function startGate({ upstreamPort }) {
	findNginx();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-gate-'));
	const certs = makeCertificates(dir, '/C=US/O=InstaMed Test/CN=instamed-reliability');
	const listenPort = await freePort();
	const nginx = await startNginx({
		dir,
		files: certs.files,
		servers: [{ listenPort, upstreamPort, secret: randomBytes(18).toString('base64url') }],
	});
	return {
		url: (webhookPath) => `https://127.0.0.1:${listenPort}/webhook/${webhookPath}`,
		tls: { ca: certs.ca, ...certs.client },
		async stop() {
			await nginx.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { startGate };
