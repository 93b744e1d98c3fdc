// A TCP proxy on 127.0.0.1 that the campaign puts between n8n's Postgres credential and the
// machine's Postgres, so the database can be taken away from n8n without touching the server:
// - cut(): stop listening (new connections are refused) and destroy every open connection;
// - stall(): keep connections but forward nothing (a database that hangs); new ones are held;
// - restore(): listen again on the same port and forward (held data and connections flow on).
const net = require('node:net');

const LISTEN_RETRIES = 20;

/** Starts the proxy; resolves to { port, mode, stats, cut, stall, restore, close }. */
async function startTcpProxy({ targetHost = '127.0.0.1', targetPort = 5432, port = 0 } = {}) {
	const pairs = new Set();
	const stats = { connections: 0, destroyedByCut: 0, heldByStall: 0 };
	let mode = 'open';
	let server;

	function forward(from, to, pair) {
		from.on('data', (chunk) => {
			if (mode === 'stall') pair.held.push([to, chunk]);
			else to.write(chunk);
		});
	}

	function connect(pair) {
		pair.upstream = net.connect(targetPort, targetHost);
		pair.upstream.on('error', () => destroyPair(pair));
		pair.upstream.on('close', () => destroyPair(pair));
		forward(pair.upstream, pair.client, pair);
		forward(pair.client, pair.upstream, pair);
	}

	function destroyPair(pair) {
		if (!pairs.delete(pair)) return;
		pair.client.destroy();
		pair.upstream?.destroy();
	}

	function onConnection(client) {
		stats.connections++;
		const pair = { client, upstream: undefined, held: [] };
		pairs.add(pair);
		client.on('error', () => destroyPair(pair));
		client.on('close', () => destroyPair(pair));
		if (mode === 'stall') {
			stats.heldByStall++;
			// Data the client sends before the upstream exists is held with the rest.
			client.on(
				'data',
				(chunk) => pair.upstream === undefined && pair.held.push(['upstream', chunk]),
			);
			return;
		}
		connect(pair);
	}

	function listen() {
		return new Promise((resolve, reject) => {
			let tries = 0;
			const attempt = () => {
				server = net.createServer(onConnection);
				server.once('error', (error) => {
					// The port was just released by cut(); the kernel may need a moment.
					if (error.code === 'EADDRINUSE' && port !== 0 && tries++ < LISTEN_RETRIES) {
						setTimeout(attempt, 100);
					} else reject(error);
				});
				server.listen(port, '127.0.0.1', () => {
					port = server.address().port;
					resolve();
				});
			};
			attempt();
		});
	}

	function closeServer() {
		const closing = server;
		server = undefined;
		return closing ? new Promise((resolve) => closing.close(() => resolve())) : Promise.resolve();
	}

	await listen();

	return {
		get port() {
			return port;
		},
		get mode() {
			return mode;
		},
		stats,
		async cut() {
			mode = 'cut';
			const closed = closeServer();
			for (const pair of [...pairs]) {
				stats.destroyedByCut++;
				destroyPair(pair);
			}
			await closed;
		},
		stall() {
			mode = 'stall';
		},
		async restore() {
			const wasStalled = mode === 'stall';
			mode = 'open';
			if (!server) await listen();
			if (!wasStalled) return;
			for (const pair of [...pairs]) {
				if (pair.upstream === undefined) {
					const early = pair.held.map(([, chunk]) => chunk);
					pair.held = [];
					pair.client.removeAllListeners('data');
					connect(pair);
					for (const chunk of early) pair.upstream.write(chunk);
				} else {
					for (const [to, chunk] of pair.held) to.write(chunk);
					pair.held = [];
				}
			}
		},
		async close() {
			mode = 'cut';
			const closed = closeServer();
			for (const pair of [...pairs]) destroyPair(pair);
			await closed;
		},
	};
}

module.exports = { startTcpProxy };
