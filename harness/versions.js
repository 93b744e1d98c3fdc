// The one place that pins the n8n the harness runs and the Node it runs on.
// n8n 2.36+ needs Node >= 24; Node comes from the npm registry (node-<os>-<arch> packages),
// so a fresh machine needs nothing but npm.
module.exports = {
	N8N_VERSION: '2.40.7',
	NODE_VERSION: '24.9.0',
};
