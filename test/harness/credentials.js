// The credentials the scenarios use (the e2e tests, the reliability campaign, the action and editor
// tests),
// each one reference: workflow nodes name it by id and name, n8n imports it with its type and data.
// Every suite starts n8n instances of its own, so one id serves them all.
const CREDENTIALS = {
	basic: { id: 'instaMedBasic001', name: 'InstaMed Basic', type: 'instaMedBasicApi' },
	jwt: { id: 'instaMedJwt00001', name: 'InstaMed OAuth2 JWT', type: 'instaMedOAuth2Api' },
	introspection: {
		id: 'instaMedIntro001',
		name: 'InstaMed OAuth2 introspection',
		type: 'instaMedOAuth2Api',
	},
	proxySecret: {
		id: 'instaMedProxy001',
		name: 'InstaMed Proxy Secret',
		type: 'instaMedProxySecretApi',
	},
	connect: {
		id: 'instaMedConnect1',
		name: 'InstaMed Connect API (emulator)',
		type: 'instaMedConnectApi',
	},
	postgres: { id: 'postgresEvents01', name: 'Postgres', type: 'postgres' },
	// Starts out pointing at a port nothing listens on (the database is unreachable).
	postgresDown: {
		id: 'postgresDown0001',
		name: 'Postgres, unreachable at first',
		type: 'postgres',
	},
};

/** The references the shipped examples (examples/*.json) make, as a user imports them. */
const EXAMPLE_CREDENTIALS = {
	basic: { id: 'instamedBasicDemo', name: 'InstaMed Basic (demo)', type: 'instaMedBasicApi' },
	oauth: { id: 'instamedOAuthJwt1', name: 'InstaMed (OAuth2) JWT', type: 'instaMedOAuth2Api' },
	connect: {
		id: 'instamedConnectDemo',
		name: 'InstaMed Connect API (demo)',
		type: 'instaMedConnectApi',
	},
};

/** The credential n8n imports for `ref`, holding `data`. */
function credential(ref, data) {
	return { id: ref.id, name: ref.name, type: ref.type, data };
}

/** What a workflow's nodes hold: { <credential type>: { id, name } } for each reference. */
function nodeCredentials(...refs) {
	return Object.fromEntries(refs.map(({ type, id, name }) => [type, { id, name }]));
}

/** prepareWorkflow options for a trigger authenticated with `ref`, other nodes using `uses`. */
function authenticatedBy(ref, ...uses) {
	return {
		triggerParameters: { authentication: ref.type },
		credentials: nodeCredentials(ref, ...uses),
	};
}

module.exports = {
	CREDENTIALS,
	EXAMPLE_CREDENTIALS,
	credential,
	nodeCredentials,
	authenticatedBy,
};
