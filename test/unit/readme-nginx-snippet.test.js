// The nginx snippet exists once, as a file the e2e tests run; the README shows it verbatim.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

test('the README shows examples/nginx-instamed-mtls.conf exactly', () => {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
	const snippet = fs.readFileSync(path.join(root, 'examples', 'nginx-instamed-mtls.conf'), 'utf8');
	const blocks = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((match) => match[1]);
	expect(blocks).toEqual([snippet]);
});
