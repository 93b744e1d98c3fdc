// A local OAuth 2.0 issuer for tests: a JWKS, RFC 7662 introspection and token minting, on
// 127.0.0.1 at a random port. Used by unit tests and by end-to-end tests against a real n8n.
const crypto = require('node:crypto');
const http = require('node:http');
const { readBody } = require('../tools/read-body');

const ALGORITHMS = {
	RS256: { digest: 'sha256', kid: 'rsa-1' },
	RS384: { digest: 'sha384', kid: 'rsa-1' },
	RS512: { digest: 'sha512', kid: 'rsa-1' },
	PS256: { digest: 'sha256', kid: 'rsa-1', saltLength: 32 },
	PS384: { digest: 'sha384', kid: 'rsa-1', saltLength: 48 },
	PS512: { digest: 'sha512', kid: 'rsa-1', saltLength: 64 },
	ES256: { digest: 'sha256', kid: 'ec-256' },
	ES384: { digest: 'sha384', kid: 'ec-384' },
	ES512: { digest: 'sha512', kid: 'ec-521' },
};

function generateKeys() {
	return {
		'rsa-1': crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
		'ec-256': crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
		'ec-384': crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
		'ec-521': crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }),
	};
}

const base64url = (value) =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function sign(alg, privateKey, data) {
	const { digest, saltLength } = ALGORITHMS[alg];
	const options = alg.startsWith('ES')
		? { key: privateKey, dsaEncoding: 'ieee-p1363' }
		: saltLength
			? { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength }
			: { key: privateKey, padding: crypto.constants.RSA_PKCS1_PADDING };
	return crypto.sign(digest, Buffer.from(data), options).toString('base64url');
}

/**
 * Starts the issuer. Options: audience (default 'instamed-webhook'), clientId, clientSecret.
 * Returns { url, issuer, audience, jwksUrl, introspectionUrl, clientId, clientSecret, requests,
 * mintJwt, mintOpaque, revoke, rotateKeys, setUnavailable, close }.
 */
async function startOAuthIssuer(options = {}) {
	const audience = options.audience ?? 'instamed-webhook';
	const clientId = options.clientId ?? 'n8n-trigger';
	const clientSecret = options.clientSecret ?? crypto.randomBytes(12).toString('hex');
	const requests = { jwks: 0, introspect: 0 };
	const issuedTokens = new Map(); // token -> claims, for opaque tokens and JWTs it signed
	const revoked = new Set();
	let keys = generateKeys();
	let kidSuffix = '';
	let unavailable = false;

	const publishedKid = (kid) => `${kid}${kidSuffix}`;
	const jwks = () => ({
		keys: Object.entries(keys).map(([kid, pair]) => ({
			...pair.publicKey.export({ format: 'jwk' }),
			kid: publishedKid(kid),
			use: 'sig',
		})),
	});

	function claimsOf(token) {
		if (revoked.has(token)) return undefined;
		// Only what this issuer minted and signed is known to it: a forged JWT is not active.
		return issuedTokens.get(token);
	}

	function introspect(token) {
		const claims = claimsOf(token);
		const now = Math.floor(Date.now() / 1000);
		if (!claims || typeof claims.exp !== 'number' || claims.exp <= now) return { active: false };
		return { active: true, client_id: 'instamed', token_type: 'Bearer', ...claims };
	}

	function clientAuthenticated(req) {
		const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
		return req.headers.authorization === expected;
	}

	const server = http.createServer(async (req, res) => {
		const send = (status, body) => {
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const path = new URL(req.url, 'http://127.0.0.1').pathname;
		if (path === '/jwks.json' && req.method === 'GET') {
			requests.jwks++;
			return unavailable ? send(503, { error: 'unavailable' }) : send(200, jwks());
		}
		if (path === '/introspect' && req.method === 'POST') {
			requests.introspect++;
			const form = new URLSearchParams(await readBody(req));
			if (unavailable) return send(503, { error: 'unavailable' });
			if (!clientAuthenticated(req)) return send(401, { error: 'invalid_client' });
			return send(200, introspect(form.get('token') ?? ''));
		}
		send(404, { error: 'not_found' });
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}`;

	/**
	 * A signed JWT. Options: alg (RS256), claims (merged over the valid defaults; undefined removes
	 * one), expiresIn seconds (300), kid (overrides the key id in the header), signer: 'issuer' |
	 * 'unknownKey' (a key the JWKS lacks, announced under its own kid) | 'forged' (a key the JWKS
	 * lacks, announced under the issuer's kid) | 'none' (alg none, no signature).
	 */
	function mintJwt({ alg = 'RS256', claims = {}, expiresIn = 300, kid, signer = 'issuer' } = {}) {
		const now = Math.floor(Date.now() / 1000);
		const payload = JSON.parse(
			JSON.stringify({
				iss: url,
				aud: audience,
				sub: 'instamed',
				iat: now,
				exp: now + expiresIn,
				scope: 'webhook',
				...claims,
			}),
		);
		if (signer === 'none')
			return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
		const issuerKid = ALGORITHMS[alg].kid;
		const rogue = signer !== 'issuer';
		const privateKey = rogue ? generateKeys()[issuerKid].privateKey : keys[issuerKid].privateKey;
		const headerKid = kid ?? (signer === 'unknownKey' ? 'unknown-key' : publishedKid(issuerKid));
		const signingInput = `${base64url({ alg, typ: 'JWT', kid: headerKid })}.${base64url(payload)}`;
		const token = `${signingInput}.${sign(alg, privateKey, signingInput)}`;
		if (!rogue) issuedTokens.set(token, payload);
		return token;
	}

	/** An opaque token that introspection reports active until it expires or is revoked. */
	function mintOpaque({ expiresIn = 300, claims = {} } = {}) {
		const token = crypto.randomBytes(24).toString('base64url');
		const now = Math.floor(Date.now() / 1000);
		issuedTokens.set(token, {
			iss: url,
			aud: audience,
			iat: now,
			exp: now + expiresIn,
			scope: 'webhook',
			...claims,
		});
		return token;
	}

	return {
		url,
		issuer: url,
		audience,
		jwksUrl: `${url}/jwks.json`,
		introspectionUrl: `${url}/introspect`,
		clientId,
		clientSecret,
		requests,
		mintJwt,
		mintOpaque,
		revoke: (token) => revoked.add(token),
		/** New keys under new kids; tokens minted afterwards use them. */
		rotateKeys() {
			keys = generateKeys();
			kidSuffix = `-${crypto.randomBytes(3).toString('hex')}`;
		},
		/** While set, both endpoints answer 503. */
		setUnavailable(value) {
			unavailable = value;
		},
		/** Data for an InstaMed OAuth2 API credential that checks this issuer's tokens. */
		credentialData(validation, overrides = {}) {
			const endpoint =
				validation === 'jwt'
					? { jwksUrl: `${url}/jwks.json` }
					: { introspectionUrl: `${url}/introspect`, clientId, clientSecret };
			// allowedAlgorithms as the editor saves it (an empty list is a misconfiguration); the issuer signs RS256.
			return {
				validation,
				issuer: url,
				audience,
				allowedAlgorithms: ['RS256'],
				...endpoint,
				...overrides,
			};
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { startOAuthIssuer };
