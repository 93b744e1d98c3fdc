// No module-level mutable state in the package's code: a value kept between requests is hidden
// state one request can leave for the next (issue 22). The scan reads every .ts file under nodes/
// and credentials/ with TypeScript's parser and refuses a top-level `let`/`var`, and a top-level
// `const` that the file mutates (a call such as .set/.push/.fill on it, or an assignment or
// delete through it). Anything kept on purpose is listed below with why.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..', '..');

// file (relative to the repository) -> name -> why it may be module-level and mutable.
const ALLOWED = {
	'nodes/InstaMedTrigger/InstaMedTrigger.node.ts': {
		// Process-wide by design: one validator per n8n process caches the issuer's signing keys
		// and token answers for every trigger (added by the guards work).
		bearerTokenValidator: 'process-wide bearer token validator (keys and answers cache)',
	},
};

const MUTATING_METHODS = new Set([
	'set',
	'add',
	'delete',
	'clear',
	'push',
	'pop',
	'shift',
	'unshift',
	'splice',
	'sort',
	'reverse',
	'fill',
	'copyWithin',
]);

function sourceFiles(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

/** The identifier an expression is rooted at: `a.b[c].d` -> `a`. */
function rootName(node) {
	let current = node;
	while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
		current = current.expression;
	}
	return ts.isIdentifier(current) ? current.text : undefined;
}

const isAssignment = (kind) =>
	kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;

/** Module-level names of one file that hold mutable state, with the line where each is kept. */
function moduleState(file) {
	const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	const found = new Map();
	const constants = new Set();
	const lineOf = (node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
	for (const statement of source.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		const { flags } = statement.declarationList;
		for (const declaration of statement.declarationList.declarations) {
			if (!ts.isIdentifier(declaration.name)) continue;
			const name = declaration.name.text;
			if (flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
				if (flags & ts.NodeFlags.Let) found.set(name, `let at line ${lineOf(declaration)}`);
				else constants.add(name);
			} else {
				found.set(name, `var at line ${lineOf(declaration)}`);
			}
		}
	}
	const mutated = (target, node) => {
		const name = rootName(target);
		if (name !== undefined && constants.has(name) && target !== undefined) {
			found.set(name, `mutated at line ${lineOf(node)}`);
		}
	};
	const visit = (node) => {
		if (
			ts.isCallExpression(node) &&
			ts.isPropertyAccessExpression(node.expression) &&
			MUTATING_METHODS.has(node.expression.name.text)
		) {
			mutated(node.expression.expression, node);
		}
		if (
			ts.isBinaryExpression(node) &&
			isAssignment(node.operatorToken.kind) &&
			(ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left))
		) {
			mutated(node.left, node);
		}
		if (ts.isDeleteExpression(node)) mutated(node.expression, node);
		if (
			(ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
			(ts.isPropertyAccessExpression(node.operand) || ts.isElementAccessExpression(node.operand))
		) {
			mutated(node.operand, node);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

const files = [
	...sourceFiles(path.join(ROOT, 'nodes')),
	...sourceFiles(path.join(ROOT, 'credentials')),
];

test('the scan reads the package code', () => {
	expect(files.length).toBeGreaterThan(30);
});

test('no module-level mutable state outside the allowlist', () => {
	const offences = [];
	for (const file of files) {
		const relative = path.relative(ROOT, file).split(path.sep).join('/');
		const allowed = ALLOWED[relative] ?? {};
		for (const [name, where] of moduleState(file)) {
			if (!Object.hasOwn(allowed, name)) offences.push(`${relative}: ${name} (${where})`);
		}
	}
	expect(offences).toEqual([]);
});

describe('the scan finds what it must refuse', () => {
	const scan = (text) => {
		const file = path.join(require('node:os').tmpdir(), `module-state-${process.pid}.ts`);
		fs.writeFileSync(file, text);
		try {
			return [...moduleState(file).keys()];
		} finally {
			fs.rmSync(file);
		}
	};

	test.each([
		['a let', 'let last: string | undefined;\nexport const f = () => last;', ['last']],
		['a var', 'var count = 0;', ['count']],
		[
			'a Map written to',
			'const cache = new Map();\nexport function f(k) { cache.set(k, 1); }',
			['cache'],
		],
		['an array pushed to', 'const seen = [];\nexport function f(k) { seen.push(k); }', ['seen']],
		[
			'a typed array filled',
			'const table = new Int32Array(8);\nexport function f() { table.fill(-1); }',
			['table'],
		],
		[
			'an object property set',
			'const state = { n: 0 };\nexport function f() { state.n = 1; }',
			['state'],
		],
		[
			'an object property counted',
			'const state = { n: 0 };\nexport function f() { state.n++; }',
			['state'],
		],
		[
			'an element deleted',
			'const state = {};\nexport function f(k) { delete state[k]; }',
			['state'],
		],
	])('%s', (_name, text, names) => {
		expect(scan(text)).toEqual(names);
	});

	test.each([
		[
			'a constant read only',
			'const names = new Set(["a"]);\nexport const f = (n) => names.has(n);',
		],
		[
			'a local shadow mutated',
			'export function f() { const list = []; list.push(1); return list; }',
		],
	])('%s passes', (_name, text) => {
		expect(scan(text)).toEqual([]);
	});
});
