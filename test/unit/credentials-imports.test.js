// Credentials are loaded by n8n on their own (also where the nodes are not): they import nothing
// from nodes/, and what they share with a node (the JWT algorithms) lives in the credential.
const fs = require('node:fs');
const path = require('node:path');

const CREDENTIALS = path.join(__dirname, '../../credentials');

test.each(fs.readdirSync(CREDENTIALS).filter((name) => name.endsWith('.ts')))(
	'%s imports only n8n-workflow',
	(name) => {
		const source = fs.readFileSync(path.join(CREDENTIALS, name), 'utf8');
		const imported = [...source.matchAll(/\bfrom\s+'([^']+)'|require\('([^']+)'\)/g)].map(
			(match) => match[1] ?? match[2],
		);
		expect(imported.filter((module) => module !== 'n8n-workflow')).toEqual([]);
	},
);
