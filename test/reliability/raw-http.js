// An HTTP/1.1 client on a bare socket: bad inputs need bytes that Node's own client refuses to send
// (CR/LF in header values, invalid header names, bodies that are not what they claim). It resolves
// once the response head has arrived, with the status, reason phrase and header lines.
const net = require('node:net');

/**
 * A socket whose failed writes do not end it: only what it reads decides the answer.
 * A server may answer a post before reading its body and then close: the trigger refuses a 17 MB
 * body by its Content-Length (413), and Node's HTTP server, answering with Connection: close, sends
 * FIN and then destroys the socket with the body unread, which resets the connection. A write that
 * comes after the reset fails (EPIPE, or ECONNRESET), and libuv reports that failure before the
 * answer waiting in the kernel is read; net.Socket destroys itself on it, so the answer is lost. Two
 * loaded soak runs each counted "no answer (EPIPE)" for the 17 MB post that way. Node's own client has
 * the same race (nodejs/node#12339, #54366). Here the write error is dropped; the read side then
 * delivers the head, or ends with EOF or ECONNRESET when no answer came.
 */
class AnswerFirstSocket extends net.Socket {
	_write(chunk, encoding, callback) {
		super._write(chunk, encoding, (error) => callback(peerStoppedReading(error) ? null : error));
	}

	_writev(chunks, callback) {
		super._writev(chunks, (error) => callback(peerStoppedReading(error) ? null : error));
	}
}

function peerStoppedReading(error) {
	return error?.code === 'EPIPE' || error?.code === 'ECONNRESET';
}

const HEAD_LIMIT_BYTES = 64 * 1024;

function parseHead(text) {
	const [statusLine, ...headerLines] = text.split('\r\n');
	const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
	if (!match) return { malformed: statusLine.slice(0, 80) };
	const headers = headerLines.map((line) => {
		const colon = line.indexOf(':');
		return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
	});
	return { status: Number(match[1]), reason: match[2], headers };
}

/**
 * Sends `head` (request line and header lines as UTF-8, without the blank line) and `body` to
 * 127.0.0.1:`port`. Resolves to { status, reason, headers, ms } or { error, ms }; never rejects.
 */
function rawRequest({ port, head, body = Buffer.alloc(0), timeoutMs = 5000 }) {
	return new Promise((resolve) => {
		const started = performance.now();
		const socket = new AnswerFirstSocket();
		let received = Buffer.alloc(0);
		let done = false;
		const finish = (result) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({ ...result, ms: performance.now() - started });
		};
		const timer = setTimeout(() => finish({ error: 'timeout' }), timeoutMs);
		socket.on('connect', () => {
			socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), body]));
		});
		socket.on('data', (chunk) => {
			received = Buffer.concat([received, chunk]);
			const end = received.indexOf('\r\n\r\n');
			if (end !== -1) finish(parseHead(received.subarray(0, end).toString('latin1')));
			else if (received.length > HEAD_LIMIT_BYTES) finish({ error: 'response head too large' });
		});
		// Write errors never reach here (AnswerFirstSocket): an error is a read or connect failure.
		socket.on('error', (error) => finish({ error: error.code ?? error.message }));
		socket.on('close', () => finish({ error: 'closed without an answer' }));
		socket.connect(port, '127.0.0.1');
	});
}

/** A POST head with the given header lines (strings, sent verbatim) and a correct Content-Length. */
function postHead({ path, port, headerLines = [], contentLength }) {
	return [
		`POST ${path} HTTP/1.1`,
		`Host: 127.0.0.1:${port}`,
		'Connection: close',
		...headerLines,
		...(contentLength === undefined ? [] : [`Content-Length: ${contentLength}`]),
	].join('\r\n');
}

module.exports = { rawRequest, postHead, parseHead, AnswerFirstSocket };
