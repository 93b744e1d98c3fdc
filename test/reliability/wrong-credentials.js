// Wrong credentials and tokens for the campaign: each must be refused (401, or 503 "Token
// validation busy" once the identity service's call budget is spent) and start nothing.
// Basic: wrong password, unknown user, near misses, malformed headers. OAuth2 (local issuer,
// harness/oauth-issuer.js): expired, wrong audience, wrong issuer, not yet valid, forged,
// unknown key, alg none, HS256 signed with the public key, tampered payloads, unknown, revoked
// expired and altered opaque tokens. (No JWT-shaped forgery against introspection: the local issuer
// reports any well-formed JWT payload as active, which a real issuer would not.)
const crypto = require('node:crypto');
const { basicAuthorization } = require('../../tools/instamed-delivery');

const b64url = (value) =>
	Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The i-th wrong Basic Authorization header for a credential { username, password }. */
function wrongBasic(basic, i) {
	const noise = crypto.randomBytes(6).toString('base64url');
	const kinds = [
		() => basicAuthorization(basic.username, `${basic.password}${noise}`),
		() => basicAuthorization(`unknown-${noise}`, basic.password),
		() => basicAuthorization(basic.username, ''),
		() => basicAuthorization(basic.username.toUpperCase(), basic.password),
		() => basicAuthorization(basic.username, basic.password.slice(0, -1)),
		() => basicAuthorization(basic.username, `${basic.password} `),
		() => basicAuthorization(`${basic.username}:${basic.password}`, noise),
		() => basicAuthorization('', ''),
		() => `Basic ${Buffer.from(`${basic.username}${basic.password}`).toString('base64')}`,
		() => `Basic ${noise}!!`,
		() => 'Basic',
		() => `Bearer ${noise}`,
		() => `Digest username="${basic.username}", response="${noise}"`,
		() => `${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`,
		() => `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('hex')}`,
		() => basicAuthorization(basic.username, `${basic.password}\u00e9`),
		() => `Basic ${'A'.repeat(4096)}`,
	];
	return { kind: `basic #${i % kinds.length}`, authorization: kinds[i % kinds.length]() };
}

/** A rogue RSA key, announced under the issuer's key id. */
function rogueSigner() {
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	return (claims) => {
		const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1' })}.${b64url(claims)}`;
		return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
	};
}

/** HS256 keyed with the issuer's published RSA key (the algorithm-confusion attack). */
async function confusedSigner(issuer) {
	const jwks = await (await fetch(issuer.jwksUrl)).json();
	const rsa = jwks.keys.find((key) => key.kty === 'RSA');
	const secret = crypto
		.createPublicKey({ key: rsa, format: 'jwk' })
		.export({ type: 'spki', format: 'pem' });
	return (claims) => {
		const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${b64url(claims)}`;
		return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
	};
}

function validClaims(issuer) {
	const now = Math.floor(Date.now() / 1000);
	return {
		iss: issuer.issuer,
		aud: issuer.audience,
		sub: 'instamed',
		iat: now,
		exp: now + 300,
		scope: 'webhook',
	};
}

/** A JWT whose payload was changed after signing. */
function tampered(token, change) {
	const [header, payload, signature] = token.split('.');
	const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...change };
	return `${header}.${b64url(claims)}.${signature}`;
}

/** Builds the token generators once (keys are slow to make); returns (i) => { kind, authorization }. */
async function wrongTokenMaker(issuer) {
	const rogue = rogueSigner();
	const confused = await confusedSigner(issuer);
	const jwtKinds = [
		['expired', () => issuer.mintJwt({ expiresIn: -600 })],
		[
			'wrong audience',
			() => issuer.mintJwt({ claims: { aud: 'https://someone-else.example.test' } }),
		],
		['wrong issuer', () => issuer.mintJwt({ claims: { iss: 'https://evil.example.test' } })],
		[
			'not yet valid',
			() => issuer.mintJwt({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }),
		],
		['no expiry', () => issuer.mintJwt({ claims: { exp: undefined } })],
		['forged (rogue key, issuer kid)', () => rogue(validClaims(issuer))],
		[
			'unknown key id',
			() => issuer.mintJwt({ kid: `unknown-${crypto.randomBytes(3).toString('hex')}` }),
		],
		['alg none', () => issuer.mintJwt({ signer: 'none' })],
		['HS256 with the public key', () => confused(validClaims(issuer))],
		[
			'tampered audience',
			() =>
				tampered(issuer.mintJwt({ claims: { aud: 'https://someone-else.example.test' } }), {
					aud: issuer.audience,
				}),
		],
		[
			'tampered expiry',
			() =>
				tampered(issuer.mintJwt({ expiresIn: -600 }), { exp: Math.floor(Date.now() / 1000) + 600 }),
		],
		['signature stripped', () => `${issuer.mintJwt().split('.').slice(0, 2).join('.')}.`],
		['garbage', () => crypto.randomBytes(30).toString('base64url')],
		['empty bearer', () => ''],
	];
	const opaqueKinds = [
		['unknown opaque', () => crypto.randomBytes(24).toString('base64url')],
		['expired opaque', () => issuer.mintOpaque({ expiresIn: -600 })],
		[
			'opaque for another audience',
			() => issuer.mintOpaque({ claims: { aud: 'https://someone-else.example.test' } }),
		],
		[
			'revoked opaque',
			() => {
				const token = issuer.mintOpaque();
				issuer.revoke(token);
				return token;
			},
		],
		[
			'altered opaque',
			() => {
				const token = issuer.mintOpaque();
				return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
			},
		],
		['expired jwt', () => issuer.mintJwt({ expiresIn: -600 })],
	];
	const bearer = (token) => `Bearer ${token}`;
	return {
		jwt: (i) => {
			const [kind, make] = jwtKinds[i % jwtKinds.length];
			return { kind: `jwt ${kind}`, authorization: bearer(make()) };
		},
		introspection: (i) => {
			const [kind, make] = opaqueKinds[i % opaqueKinds.length];
			return { kind: `introspection ${kind}`, authorization: bearer(make()) };
		},
	};
}

module.exports = { wrongBasic, wrongTokenMaker };
