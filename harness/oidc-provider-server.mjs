// A real OAuth 2.0 authorization server (oidc-provider, an npm package certified for OpenID
// Connect) for tests: it signs JWT access tokens with keys it publishes at /jwks and answers
// RFC 7662 introspection for its opaque tokens. Started by harness/oidc-provider.js, which reads
// the JSON line printed on start. It counts the calls made to it (GET /__test/counts), and
// POST /__test/jwks-failing?on=1 makes /jwks answer 503 (a failing identity service).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

export const JWT_RESOURCE = 'https://n8n.example.test/instamed';
export const OPAQUE_RESOURCE = 'https://n8n.example.test/instamed-opaque';

const secret = () => randomBytes(18).toString('base64url');
const signingKey = () => ({
	...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
	kid: `rsa-${randomBytes(3).toString('hex')}`,
	alg: 'RS256',
	use: 'sig',
});

const counts = { jwks: 0, introspect: 0, token: 0 };
let jwksFailing = false;
let provider;

const server = http.createServer((req, res) => {
	const path = new URL(req.url, 'http://127.0.0.1').pathname;
	if (path.startsWith('/__test/')) return control(path, req, res);
	if (path === '/jwks') {
		counts.jwks++;
		if (jwksFailing) return send(res, 503, { error: 'unavailable' });
	}
	if (path === '/token/introspection') counts.introspect++;
	if (path === '/token') counts.token++;
	return provider.callback()(req, res);
});

function control(path, req, res) {
	if (path === '/__test/counts') return send(res, 200, counts);
	if (path === '/__test/jwks-failing' && req.method === 'POST') {
		jwksFailing = new URL(req.url, 'http://127.0.0.1').searchParams.get('on') === '1';
		return send(res, 200, { jwksFailing });
	}
	return send(res, 404, { error: 'not_found' });
}

function send(res, status, body) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const minter = { client_id: 'instamed', client_secret: secret() };
const introspector = { client_id: 'n8n-trigger', client_secret: secret() };

provider = new Provider(issuer, {
	clients: [
		{ ...minter, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
		{ ...introspector, grant_types: [], redirect_uris: [], response_types: [] },
	],
	jwks: { keys: [signingKey()] },
	features: {
		clientCredentials: { enabled: true },
		introspection: { enabled: true },
		devInteractions: { enabled: false },
		resourceIndicators: {
			enabled: true,
			defaultResource: () => JWT_RESOURCE,
			useGrantedResource: () => true,
			getResourceServerInfo: (_ctx, resource) => ({
				scope: 'webhook',
				audience: resource,
				accessTokenTTL: 600,
				accessTokenFormat: resource === OPAQUE_RESOURCE ? 'opaque' : 'jwt',
				jwt: { sign: { alg: 'RS256' } },
			}),
		},
	},
	scopes: ['webhook'],
});

process.stdout.write(
	`${JSON.stringify({
		issuer,
		jwksUrl: `${issuer}/jwks`,
		tokenUrl: `${issuer}/token`,
		introspectionUrl: `${issuer}/token/introspection`,
		jwtAudience: JWT_RESOURCE,
		opaqueAudience: OPAQUE_RESOURCE,
		minter,
		introspector,
	})}\n`,
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
