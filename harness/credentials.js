// The credentials the scenarios use (the e2e, action, editor and reliability tests), each one
// reference: workflow nodes name it by id and name, n8n imports it with its type and data.
// Every suite starts n8n instances of its own, so one id serves them all.
const reference = (type, id, name) => ({ type, id, name });

const CREDENTIALS = {
	basic: reference('instaMedBasicApi', 'instaMedBasic001', 'InstaMed Basic'),
	jwt: reference('instaMedOAuth2Api', 'instaMedJwt00001', 'InstaMed OAuth2 JWT'),
	introspection: reference(
		'instaMedOAuth2Api',
		'instaMedIntro001',
		'InstaMed OAuth2 introspection',
	),
	proxySecret: reference('instaMedProxySecretApi', 'instaMedProxy001', 'InstaMed Proxy Secret'),
	connect: reference('instaMedConnectApi', 'instaMedConnect1', 'InstaMed Connect API (emulator)'),
	postgres: reference('postgres', 'postgresEvents01', 'Postgres'),
	// Starts out pointing at a port nothing listens on (the database is unreachable).
	postgresDown: reference('postgres', 'postgresDown0001', 'Postgres, unreachable at first'),
};

/** The references the shipped examples (examples/*.json) make, as a user imports them. */
const EXAMPLE_CREDENTIALS = {
	basic: reference('instaMedBasicApi', 'instamedBasicDemo', 'InstaMed Basic (demo)'),
	oauth: reference('instaMedOAuth2Api', 'instamedOAuthJwt1', 'InstaMed (OAuth2) JWT'),
	connect: reference('instaMedConnectApi', 'instamedConnectDemo', 'InstaMed Connect API (demo)'),
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
