// Just enough of Redis's protocol (RESP) for the harness: send one command to the machine's
// Redis and read its reply. The queue-mode harness uses it to remove the keys of its own prefix.
const net = require('node:net');

function redisAddress(env = process.env) {
	return { host: env.REDIS_HOST || '127.0.0.1', port: Number(env.REDIS_PORT || 6379) };
}

function encode(args) {
	const parts = args.map((arg) => {
		const text = String(arg);
		return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
	});
	return `*${args.length}\r\n${parts.join('')}`;
}

/** The reply to one command: an integer or a string (first line), or an Error for `-ERR`. */
function redisCommand(args, address = redisAddress()) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(address);
		let reply = '';
		socket.setTimeout(5000, () => socket.destroy(new Error('Redis did not answer in 5 s')));
		socket.on('error', reject);
		socket.on('connect', () => socket.write(encode(args)));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			const end = reply.indexOf('\r\n');
			if (end < 0) return;
			socket.end();
			const line = reply.slice(1, end);
			if (reply[0] === '-') return reject(new Error(`Redis: ${line}`));
			resolve(reply[0] === ':' ? Number(line) : line);
		});
	});
}

/** Resolves to null when Redis answers PING, else to a plain reason it does not. */
async function redisUnavailableReason(address = redisAddress()) {
	try {
		await redisCommand(['PING'], address);
		return null;
	} catch (error) {
		return `no Redis answers at ${address.host}:${address.port} (${error.message}); set REDIS_HOST/REDIS_PORT`;
	}
}

/** Deletes every key starting with `prefix` (server-side, one command); resolves to the count. */
async function deleteKeysWithPrefix(prefix, address = redisAddress()) {
	const script = `local n = 0
for _, key in ipairs(redis.call('KEYS', ARGV[1] .. '*')) do redis.call('DEL', key); n = n + 1 end
return n`;
	return await redisCommand(['EVAL', script, '0', prefix], address);
}

module.exports = { redisAddress, redisCommand, redisUnavailableReason, deleteKeysWithPrefix };
