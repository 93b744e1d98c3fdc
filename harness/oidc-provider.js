// Starts harness/oidc-provider-server.mjs (a real OAuth 2.0 server, oidc-provider) in a child
// process and gives tests what they need: tokens it issues, credential data for the trigger and
// the number of calls it received. ESM-only, hence the child process rather than a require.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

/**
 * Resolves to { issuer, jwksUrl, introspectionUrl, jwtAudience, opaqueAudience, mintJwt(),
 * mintOpaque(), credentialData(validation, overrides), counts(), setJwksFailing(on), close() }.
 */
async function startOidcProvider() {
	const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider-server.mjs')], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let errors = '';
	child.stderr.on('data', (chunk) => {
		errors = `${errors}${chunk}`.slice(-4000);
	});
	const info = await new Promise((resolve, reject) => {
		const lines = readline.createInterface({ input: child.stdout });
		lines.once('line', (line) => resolve(JSON.parse(line)));
		child.once('exit', (code) => reject(new Error(`oidc-provider exited ${code}: ${errors}`)));
	});

	async function mint(resource) {
		const { client_id, client_secret } = info.minter;
		const answer = await fetch(info.tokenUrl, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'webhook', resource }),
		});
		const body = await answer.json();
		if (!answer.ok) throw new Error(`token request failed: ${JSON.stringify(body)}`);
		return body.access_token;
	}

	const json = async (url, init) => await (await fetch(`${info.issuer}${url}`, init)).json();

	return {
		...info,
		mintJwt: async () => await mint(info.jwtAudience),
		mintOpaque: async () => await mint(info.opaqueAudience),
		/** Data for an InstaMed OAuth2 API credential checking this server's tokens. */
		credentialData(validation, overrides = {}) {
			const endpoint =
				validation === 'jwt'
					? { jwksUrl: info.jwksUrl, audience: info.jwtAudience }
					: {
							introspectionUrl: info.introspectionUrl,
							clientId: info.introspector.client_id,
							clientSecret: info.introspector.client_secret,
							audience: info.opaqueAudience,
						};
			return { validation, issuer: info.issuer, ...endpoint, ...overrides };
		},
		/** Calls received so far: { jwks, introspect, token }. */
		counts: async () => await json('/__test/counts'),
		setJwksFailing: async (on) =>
			await json(`/__test/jwks-failing?on=${on ? 1 : 0}`, { method: 'POST' }),
		close: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', resolve);
				child.kill('SIGTERM');
			}),
	};
}

module.exports = { startOidcProvider };
