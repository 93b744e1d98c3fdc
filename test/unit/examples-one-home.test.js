// Facts the examples hold once. The nginx block has one home, the file the e2e tests run; the README links it and keeps no copy
// of its own that could drift from what was tested.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const SNIPPET = 'examples/nginx-instamed-mtls.conf';

test('the README links examples/nginx-instamed-mtls.conf and holds no nginx block of its own', () => {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
	expect(fs.existsSync(path.join(root, SNIPPET))).toBe(true);
	expect(readme).toContain(`](${SNIPPET})`);
	expect(readme).not.toMatch(/```nginx/);
	expect(readme).not.toMatch(/^\s*(proxy_pass|auth_request|ssl_verify_client)\b/m);
});

test('the linked file holds the readiness gate the README describes', () => {
	const snippet = fs.readFileSync(path.join(root, SNIPPET), 'utf8');
	expect(snippet).toMatch(/auth_request \/n8n-ready;/);
	expect(snippet).toMatch(/proxy_pass \$n8n\/healthz\/readiness;/);
	expect(snippet).toContain('return 503 "Not stored: n8n is not ready\\n";');
});

// The Postgres table has one home, examples/instamed-events.sql: the harness runs that file, the
// README links it, and the example workflow's setup note repeats the same statement for users who
// only import the workflow.
const normalise = (sql) =>
	sql
		.replace(/--.*$/gm, '')
		.replace(/\bIF NOT EXISTS\b/i, '')
		.replace(/\s+/g, ' ')
		.replace(/\s*([(),;])\s*/g, '$1')
		.trim();

test("the Postgres example's setup note creates the table exactly as examples/instamed-events.sql", () => {
	const sql = fs.readFileSync(path.join(root, 'examples', 'instamed-events.sql'), 'utf8');
	const workflow = JSON.parse(
		fs.readFileSync(path.join(root, 'examples', 'instamed-to-postgres.json'), 'utf8'),
	);
	const notes = workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
		.map((node) => node.parameters.content)
		.join('\n');
	const [, noted] = /```sql\n([\s\S]*?)```/.exec(notes) ?? [];
	expect(normalise(noted ?? '')).toBe(normalise(sql));
	expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(
		'](examples/instamed-events.sql)',
	);
});
