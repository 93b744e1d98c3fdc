// The bad-input probe's client must read an answer the server sent before it stopped reading, even
// when the client's next write fails first (test/reliability/raw-http.js). The server runs in a child
// process, so the client can block its own event loop until the server has answered and reset: the
// write that follows then fails before the client reads, the order a loaded machine produced once.
const { spawn } = require('node:child_process');
const net = require('node:net');
const { AnswerFirstSocket } = require('../reliability/raw-http');

const ANSWER = 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';

// How the server closes after answering: at once with a reset (ECONNRESET at the client), or as
// Node's HTTP server does with Connection: close and the body unread, FIN then reset (EPIPE).
const SERVERS = {
	reset: `c.write(${JSON.stringify(ANSWER)}); c.resetAndDestroy();`,
	'end, then reset': `c.end(${JSON.stringify(ANSWER)}, () => c.resetAndDestroy());`,
};

function startServer(onFirstBytes) {
	const child = spawn(
		process.execPath,
		[
			'-e',
			`const net = require('node:net');
			const s = net.createServer((c) => c.once('data', () => { ${onFirstBytes} }));
			s.listen(0, '127.0.0.1', () => console.log(s.address().port));`,
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	return new Promise((resolve) =>
		child.stdout.once('data', (port) => resolve({ port: Number(String(port)), child })),
	);
}

/** Posts a head, waits blocked while the server answers and resets, then writes the body. */
function postLate(SocketClass, port) {
	return new Promise((resolve) => {
		const socket = new SocketClass();
		let received = '';
		let writeError;
		socket.on('data', (chunk) => (received += chunk));
		socket.on('error', (error) => (writeError = error.code));
		socket.on('close', () => resolve({ statusLine: received.split('\r\n')[0], writeError }));
		socket.on('connect', () => {
			socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n');
			const until = Date.now() + 300;
			while (Date.now() < until); // the server answers and resets meanwhile
			socket.write(Buffer.alloc(1024 * 1024));
		});
		socket.connect(port, '127.0.0.1');
	});
}

describe.each(Object.entries(SERVERS))('a server that answers, then closes: %s', (_name, close) => {
	let server;
	beforeAll(async () => (server = await startServer(close)));
	afterAll(() => server.child.kill());

	test('the answer is read although the write after it fails', async () => {
		const { statusLine } = await postLate(AnswerFirstSocket, server.port);
		expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
	});

	test("Node's own socket loses it: the race the client closes", async () => {
		const { statusLine, writeError } = await postLate(net.Socket, server.port);
		expect(statusLine).toBe('');
		expect(['EPIPE', 'ECONNRESET']).toContain(writeError);
	});
});
