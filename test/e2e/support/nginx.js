// A real nginx (Debian's package) terminating TLS with client certificates in front of n8n,
// configured from the snippet the README ships (examples/nginx-instamed-mtls.conf), with a test
// CA and certificates made by openssl at test time. Binds only to loopback, on free ports.
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const { X509Certificate } = require('node:crypto');
const { execFileSync, spawn } = require('node:child_process');

const SNIPPET = path.resolve(__dirname, '..', '..', '..', 'examples', 'nginx-instamed-mtls.conf');
const { requirePart, installHint } = require('../../../harness/system-parts');

const INSTALL_HINT = installHint('nginx');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The nginx binary (INSTAMED_NGINX, PATH, /usr/sbin); throws with the install command when absent. */
function findNginx() {
	return requirePart('nginx');
}

function openssl(args) {
	execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A CA, a server certificate for 127.0.0.1, and client certificates: `client` and `otherClient`
 * issued by the CA (subjects `subject` and another), `stranger` self-signed with `subject`.
 */
function makeCertificates(dir, subjectSlashes) {
	const file = (name) => path.join(dir, name);
	const key = (name) =>
		openssl([
			'genpkey',
			'-algorithm',
			'EC',
			'-pkeyopt',
			'ec_paramgen_curve:P-256',
			'-out',
			file(`${name}.key`),
		]);
	const selfSigned = (name, subj) => {
		key(name);
		openssl([
			'req',
			'-x509',
			'-new',
			'-key',
			file(`${name}.key`),
			'-subj',
			subj,
			'-days',
			'2',
			'-out',
			file(`${name}.pem`),
		]);
	};
	const issued = (name, subj, extensions) => {
		key(name);
		openssl([
			'req',
			'-new',
			'-key',
			file(`${name}.key`),
			'-subj',
			subj,
			'-out',
			file(`${name}.csr`),
		]);
		const ext = file(`${name}.ext`);
		fs.writeFileSync(ext, extensions);
		openssl([
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
			'-extfile',
			ext,
			'-out',
			file(`${name}.pem`),
		]);
	};
	selfSigned('ca', '/CN=InstaMed e2e test CA');
	issued('server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
	issued('client', subjectSlashes, 'extendedKeyUsage=clientAuth\n');
	issued('otherClient', '/C=US/O=InstaMed Test/CN=someone-else', 'extendedKeyUsage=clientAuth\n');
	selfSigned('stranger', subjectSlashes);
	const pair = (name) => ({
		key: fs.readFileSync(file(`${name}.key`)),
		cert: fs.readFileSync(file(`${name}.pem`)),
	});
	const client = pair('client');
	return {
		ca: fs.readFileSync(file('ca.pem')),
		files: { ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key') },
		client,
		clientSha1: new X509Certificate(client.cert).fingerprint,
		otherClient: pair('otherClient'),
		stranger: pair('stranger'),
	};
}

/** The shipped server block, pointed at this test's ports, files and secret. */
function serverBlock({ listenPort, upstreamPort, secret, files }) {
	let block = fs.readFileSync(SNIPPET, 'utf8');
	const replace = (from, to) => {
		if (block.split(from).length !== 2) {
			throw new Error(`${SNIPPET} no longer contains "${from}" exactly once: update this test`);
		}
		block = block.replace(from, to);
	};
	replace('listen 443 ssl;', `listen 127.0.0.1:${listenPort} ssl;`);
	replace('server_name n8n.example.com;', 'server_name localhost;');
	replace('/etc/nginx/instamed/server.pem', files.serverCert);
	replace('/etc/nginx/instamed/server.key', files.serverKey);
	replace('/etc/nginx/instamed/instamed-ca.pem', files.ca);
	replace('http://127.0.0.1:5678', `http://127.0.0.1:${upstreamPort}`);
	replace('CHANGE-ME-long-random-secret', secret);
	return block;
}

function accepts(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Starts nginx in the foreground (one process) with one server block per entry of `servers`. */
async function startNginx({ dir, servers, files }) {
	const bin = findNginx();
	const conf = path.join(dir, 'nginx.conf');
	const errorLog = path.join(dir, 'error.log');
	const temp = (name) => path.join(dir, `${name}_temp`);
	fs.writeFileSync(
		conf,
		[
			'daemon off;',
			'master_process off;',
			`pid ${path.join(dir, 'nginx.pid')};`,
			`error_log ${errorLog} warn;`,
			'events { worker_connections 64; }',
			'http {',
			'  access_log off;',
			`  client_body_temp_path ${temp('client_body')};`,
			`  proxy_temp_path ${temp('proxy')};`,
			`  fastcgi_temp_path ${temp('fastcgi')};`,
			`  uwsgi_temp_path ${temp('uwsgi')};`,
			`  scgi_temp_path ${temp('scgi')};`,
			...servers.map((server) => serverBlock({ ...server, files })),
			'}',
			'',
		].join('\n'),
	);
	const child = spawn(bin, ['-p', dir, '-e', errorLog, '-c', conf], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const kill = () => child.kill('SIGKILL');
	process.on('exit', kill);
	const log = () => `${stderr}${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''}`;
	const deadline = Date.now() + 10_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${log()}`);
		const ready = await Promise.all(servers.map((server) => accepts(server.listenPort)));
		if (ready.every(Boolean)) break;
		if (Date.now() > deadline) {
			kill();
			throw new Error(`nginx did not listen within 10 s:\n${log()}`);
		}
		await sleep(100);
	}
	return {
		pid: child.pid,
		log,
		async stop() {
			process.removeListener('exit', kill);
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await Promise.race([exited, sleep(5000).then(kill)]);
		},
	};
}

/**
 * One POST from `localAddress` (a loopback address other than 127.0.0.1 plays InstaMed), over
 * HTTPS with an optional client certificate, or plain HTTP straight to n8n. Resolves to
 * { status, text, headers }.
 */
function postFrom({ url, localAddress, body, contentType, headers = {}, tls }) {
	const target = new URL(url);
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = client.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname,
				method: 'POST',
				localAddress,
				headers: {
					'content-type': contentType,
					'content-length': Buffer.byteLength(body),
					...headers,
				},
				agent: false,
				...(tls ?? {}),
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode, text, headers: res.headers }));
			},
		);
		request.setTimeout(25_000, () => request.destroy(new Error('no answer within 25 s')));
		request.on('error', reject);
		request.end(body);
	});
}

module.exports = { findNginx, makeCertificates, startNginx, postFrom, INSTALL_HINT };
