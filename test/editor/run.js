#!/usr/bin/env node
// `npm run test:editor`: the editor as a person sees it. Chromium (Debian's package, driven by
// playwright-core, no browser download) against the demo's real n8n with this package, a local
// OAuth issuer and the InstaMed Connect emulator. It logs in, opens the example workflows, the
// trigger's panel (every option group), the InstaMed node (every resource and operation), each
// credential with its Test, listens for a test event and posts one, and opens an execution. It checks
// what one would check by eye and saves screenshots in .editor-screenshots/ (gitignored).
//
//   npm run test:editor                      CHROMIUM=/path/to/chromium to use another binary
require('../../scripts/bootstrap').ensureReady();
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startEditorEnvironment } = require('./setup');
const { messages, serialise } = require('../../tools/sample-messages');
const { REPO } = require('../../harness/package');
const { requirePart, skipWithout, skippedSummary } = require('../../harness/system-parts');

const SHOTS = path.join(REPO, '.editor-screenshots');
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const results = [];
function check(name, ok, detail = '') {
	results.push({ name, ok: Boolean(ok), detail });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `: ${detail}` : ''}`);
}

async function shot(page, name, target) {
	const file = path.join(SHOTS, `${name}.png`);
	await (target ?? page).screenshot({ path: file });
	return file;
}

/** A screenshot of the union of `selectors`' boxes plus a margin, for the README (docs/). */
async function docsShot(page, name, selectors, margin = 24) {
	const boxes = [];
	for (const selector of selectors) {
		for (const element of await page.$$(selector)) {
			const box = await element.boundingBox();
			if (box) boxes.push(box);
		}
	}
	if (boxes.length === 0) return undefined;
	const viewport = page.viewportSize();
	const x = Math.max(0, Math.min(...boxes.map((box) => box.x)) - margin);
	const y = Math.max(0, Math.min(...boxes.map((box) => box.y)) - margin);
	const right = Math.min(
		viewport.width,
		Math.max(...boxes.map((box) => box.x + box.width)) + margin,
	);
	const bottom = Math.min(
		viewport.height,
		Math.max(...boxes.map((box) => box.y + box.height)) + margin,
	);
	const file = path.join(SHOTS, `docs-${name}.png`);
	await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
	return file;
}

/** Scrolls every scrollable element inside `selector` to its end in steps, collecting the text seen. */
async function scrollAndRead(page, selector) {
	let seen = await page.innerText(selector);
	for (let i = 0; i < 12; i++) {
		const moved = await page.$$eval(`${selector}, ${selector} *`, (elements) => {
			let any = false;
			for (const element of elements) {
				if (element.scrollHeight > element.clientHeight + 4 && element.clientHeight > 100) {
					const before = element.scrollTop;
					element.scrollTop = before + element.clientHeight * 0.8;
					any = any || element.scrollTop !== before;
				}
			}
			return any;
		});
		await page.waitForTimeout(200);
		seen += `\n${await page.innerText(selector)}`;
		if (!moved) break;
	}
	return seen;
}

async function step(name, body) {
	const began = Date.now();
	try {
		await body();
	} catch (error) {
		check(name, false, error.message.split('\n')[0]);
	}
	console.log(`     (${name}: ${((Date.now() - began) / 1000).toFixed(1)} s)`);
}

async function openWorkflow(page, baseUrl, workflow) {
	await page.goto(`${baseUrl}/workflow/${workflow.id}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30_000 });
	await page.waitForTimeout(800);
}

async function openNode(page, name) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.waitForSelector('[data-test-id="parameter-item"]', { timeout: 15_000 });
	await page.waitForTimeout(500);
}

async function closeNode(page) {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(400);
}

/** The texts of an n8n select's options: opens it, reads the visible dropdown, closes it. */
async function selectOptions(page, parameterName) {
	await page.click(`[data-test-id="parameter-input-${parameterName}"]`);
	await page.waitForTimeout(400);
	const options = await page.$$eval('.el-select-dropdown__item, [role="option"]', (items) =>
		items
			.filter((item) => item.offsetParent !== null)
			.map((item) => item.innerText.trim().split('\n')[0].trim()),
	);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(200);
	return options;
}

async function chooseOption(page, parameterName, text) {
	await page.click(`[data-test-id="parameter-input-${parameterName}"]`);
	await page.waitForTimeout(300);
	await page
		.locator('.el-select-dropdown__item:visible, [role="option"]:visible')
		.filter({ hasText: text })
		.first()
		.click();
	await page.waitForTimeout(500);
}

async function canvasChecks(page, env) {
	await openWorkflow(page, env.n8n.baseUrl, env.workflows[0]);
	const triggerNode = '[data-test-id="canvas-node"][data-node-name="InstaMed Trigger"]';
	const labels = await page.$$eval(`${triggerNode} [class*="outputLabel"]`, (elements) =>
		elements.map((element) => ({
			text: element.textContent.trim(),
			cut: element.scrollWidth > element.clientWidth + 1,
		})),
	);
	check('canvas: the trigger shows 11 output labels', labels.length === 11, `${labels.length}`);
	const cut = labels.filter((label) => label.cut).map((label) => label.text);
	check('canvas: every output label is whole', cut.length === 0, cut.join(', '));
	const texts = labels.map((label) => label.text);
	check(
		'canvas: output labels are distinct',
		new Set(texts).size === texts.length,
		texts.join(', '),
	);
	await shot(page, 'canvas');
	await docsShot(page, 'canvas', ['[data-test-id="canvas-node"]'], 40);
}

async function triggerPanelChecks(page, env) {
	await openNode(page, 'InstaMed Trigger');
	const rules = await page.$$eval('[data-test-id="parameter-item"] li', (items) =>
		items.map((item) => item.textContent.trim()),
	);
	check(
		'trigger: the rules notice lists 11 rules, one per line',
		rules.length === 11,
		`${rules.length}`,
	);
	const misnumbered = rules.filter((rule, index) => !rule.startsWith(`${index + 1}. `));
	check('trigger: each rule line starts with its number', misnumbered.length === 0, misnumbered[0]);
	const text = await page.innerText('body');
	check('trigger: the setup notice says Publish', /Publish the workflow/.test(text));
	check('trigger: no "Activate the workflow"', !/Activate the workflow/.test(text));
	const header = await page.innerText('[data-test-id="trigger-header"]').catch(() => '');
	check(
		'trigger panel: says how to send a sample to the Test URL',
		/sample/i.test(header) && /Test URL/.test(header),
		header,
	);
	check('trigger panel: not n8n\'s "Pull in events from"', !/Pull in events from/.test(text));
	await page
		.getByText('When will this node trigger my flow?')
		.click()
		.catch(() => undefined);
	await page.waitForTimeout(400);
	const help = await page.innerText('body');
	check('trigger panel: its help has a curl line', /curl -u USER:PASSWORD/.test(help));
	check('trigger panel: not "make an event happen"', !/make an event happen/.test(help));
	await shot(page, 'trigger-panel');
	await page
		.getByText('When will this node trigger my flow?')
		.click()
		.catch(() => undefined);
	await page.waitForTimeout(300);
	await page.screenshot({
		path: path.join(SHOTS, 'docs-trigger-panel.png'),
		clip: { x: 24, y: 24, width: 900, height: 852 },
	});
	await closeNode(page);
}

async function allOptionsChecks(page, env) {
	await openWorkflow(page, env.n8n.baseUrl, env.workflows[2]);
	await openNode(page, 'InstaMed Trigger');
	for (const name of ['allowedIps', 'trustedProxies']) {
		const rows = await page
			.$eval(`[data-test-id="parameter-input-${name}"] textarea`, (area) => area.rows)
			.catch(() => 0);
		check(`trigger options: ${name} is a multi-line input`, rows > 1, `rows ${rows}`);
	}
	const names = await page.$$eval(
		'[data-test-id="parameter-item"] [data-test-id="input-label"]',
		(labels) => labels.map((label) => label.textContent.trim()),
	);
	for (const expected of ['Rules', 'Allowed Addresses', 'Trusted Proxies', 'Verify Header']) {
		check(
			`trigger options: "${expected}" shown`,
			names.some((name) => name.startsWith(expected)),
		);
	}
	const panel = page.locator('[data-test-id="ndv"], .ndv-wrapper, [class*="ndv"]').first();
	await shot(page, 'trigger-options');
	// Scroll the parameters to their end for the remaining groups.
	await page.hover('[data-test-id="parameter-input-allowedIps"]').catch(() => undefined);
	await page.mouse.wheel(0, 2000);
	await page.waitForTimeout(300);
	await shot(page, 'trigger-options-end');
	void panel;
	await closeNode(page);
}

async function actionNodeChecks(page, env) {
	const workflow = env.workflows[1];
	await openWorkflow(page, env.n8n.baseUrl, workflow);
	const node = workflow.nodes.find((candidate) => candidate.type.endsWith('.instaMed'));
	await openNode(page, node.name);
	const hasResource = (await page.$('[data-test-id="parameter-input-resource"]')) !== null;
	const resources = hasResource ? await selectOptions(page, 'resource') : [null];
	check(
		'InstaMed node: no "Custom API Call" resource',
		!resources.some((resource) => resource && /Custom API Call/.test(resource)),
		resources.join(', '),
	);
	for (const resource of resources) {
		if (resource) await chooseOption(page, 'resource', resource);
		const operations = await selectOptions(page, 'operation');
		const label = resource ? `${resource}: ` : '';
		check(
			`InstaMed node: ${label}operations are its own (${operations.join(', ')})`,
			operations.length > 0 && !operations.some((operation) => /Custom API Call/.test(operation)),
			operations.join(', '),
		);
		for (const operation of operations) {
			await chooseOption(page, 'operation', operation);
			const title = await page.innerText('body');
			check(`InstaMed node: ${label}${operation} opens`, !/__CUSTOM_API_CALL__/.test(title));
			await shot(
				page,
				`instamed-${`${resource ?? ''}-${operation}`.replace(/\W+/g, '-').toLowerCase()}`,
			);
		}
	}
	await closeNode(page);
}

/** Opens a credential from the Credentials list and runs its Test; returns the dialog's text. */
async function testCredential(page, env, name) {
	await page.goto(`${env.n8n.baseUrl}/home/credentials`);
	await page.getByText(name, { exact: true }).first().click();
	await page.waitForSelector('[data-test-id="editCredential-modal"], .el-dialog', {
		timeout: 15_000,
	});
	await page.waitForTimeout(800);
	const retry = page.getByRole('button', { name: /^(Retry|Test)$/ });
	if ((await retry.count()) > 0) await retry.first().click();
	else
		await page
			.getByRole('button', { name: /^Save$/ })
			.first()
			.click();
	await page.waitForTimeout(3000);
	return await page.innerText('[data-test-id="editCredential-modal"], .el-dialog');
}

async function credentialChecks(page, env) {
	for (const ref of Object.values(env.refs)) {
		const text = await testCredential(page, env, ref.name);
		check(
			`credential ${ref.name}: Test succeeds`,
			/tested successfully/i.test(text),
			text.slice(0, 300),
		);
		check(
			`credential ${ref.name}: no "Allowed HTTP Request Domains"`,
			!/Allowed HTTP Request Domains/.test(text),
		);
		await shot(page, `credential-${ref.type}`);
		await page.keyboard.press('Escape');
		await page.waitForTimeout(300);
	}
}

async function testEventChecks(page, env) {
	const workflow = env.workflows[0];
	await openWorkflow(page, env.n8n.baseUrl, workflow);
	await openNode(page, 'InstaMed Trigger');
	await page.click('[data-test-id="trigger-execute-button"]');
	await page.waitForTimeout(1500);
	const { body, contentType } = serialise('json', messages.paymentApproved);
	const basic = Buffer.from(`${env.basic.username}:${env.basic.password}`).toString('base64');
	const response = await fetch(env.n8n.testWebhookUrl(workflow.nodes[0].parameters.path), {
		method: 'POST',
		headers: { 'Content-Type': contentType, Authorization: `Basic ${basic}` },
		body,
	});
	// Executing only the trigger never reaches Confirm Stored, so the answer guard may answer 500
	// "Not stored…" (InstaMed never posts to the Test URL); anything else means the call went wrong.
	const answer = await response.text();
	check(
		'test event: the Test URL reaches the trigger (200, or "Not stored" for a run that stops at it)',
		response.status === 200 || (response.status === 500 && /stored/i.test(answer)),
		`${response.status} ${answer.slice(0, 120)}`,
	);
	await page.waitForSelector('[data-test-id="ndv-data-container"], table', { timeout: 20_000 });
	await page.waitForTimeout(800);
	await page.click('[data-test-id="radio-button-json"]').catch(() => undefined);
	await page.waitForTimeout(500);
	const outputSelector = '[data-test-id="output-panel"]';
	const hasOutputPanel = (await page.$(outputSelector)) !== null;
	const text = hasOutputPanel
		? await scrollAndRead(page, outputSelector)
		: await page.innerText('body');
	check('test event: the item is shown on Approved', /paymentApproved/.test(text));
	// Headers are in the item only with Include Request Headers, and then Authorization redacted.
	check(
		'test event: Authorization redacted or not in the item at all',
		// (a word on its own: the item has InstaMed's authorizationNumber)
		/\[redacted\]/.test(text) || !/\bauthorization\b/i.test(text),
	);
	check(
		'test event: neither the password nor the Basic token is shown',
		!text.includes(env.basic.password) && !text.includes(basic),
	);
	await shot(page, 'test-event-json');
	if (hasOutputPanel) await docsShot(page, 'item', [outputSelector], 0);
	await page.click('[data-test-id="radio-button-table"]').catch(() => undefined);
	await page.waitForTimeout(500);
	await shot(page, 'test-event-table');
	await closeNode(page);
}

async function executionChecks(page, env) {
	const workflow = env.workflows[0];
	const { body, contentType } = serialise('xml', messages.paymentRefunded);
	const basic = Buffer.from(`${env.basic.username}:${env.basic.password}`).toString('base64');
	const response = await fetch(env.n8n.webhookUrl(workflow.nodes[0].parameters.path), {
		method: 'POST',
		headers: { 'Content-Type': contentType, Authorization: `Basic ${basic}` },
		body,
	});
	check('execution: the Production URL answers 200', response.status === 200, `${response.status}`);
	const executions = await env.n8n.rest.executions(workflow.id);
	const [latest] = executions;
	check('execution: one recorded', latest !== undefined);
	if (!latest) return;
	await page.goto(`${env.n8n.baseUrl}/workflow/${workflow.id}/executions/${latest.id}`);
	await page.waitForTimeout(4000);
	const frame = page.frameLocator('iframe').first();
	const text = await frame
		.locator('body')
		.innerText({ timeout: 10_000 })
		.catch(async () => await page.innerText('body'));
	check(
		'execution: shows the trigger and the storage step',
		/InstaMed Trigger/.test(text) && /Store event/.test(text),
		text.slice(0, 200),
	);
	await shot(page, 'execution');
	// The item as stored in the execution: open the trigger there.
	const trigger = '[data-test-id="canvas-node"][data-node-name="InstaMed Trigger"]';
	await page
		.dblclick(trigger, { timeout: 5_000 })
		.catch(async () => await frame.locator(trigger).dblclick({ timeout: 5_000 }))
		.catch(() => undefined);
	await page.waitForTimeout(1500);
	await shot(page, 'execution-item');
}

async function main() {
	fs.rmSync(SHOTS, { recursive: true, force: true });
	fs.mkdirSync(SHOTS, { recursive: true });
	// Without Chromium the editor test skips (one line says so) unless INSTAMED_REQUIRE_SYSTEM_PARTS=1.
	if (skipWithout('chromium', 'the editor test')) {
		console.log(skippedSummary());
		process.exit(0);
	}
	const CHROMIUM = requirePart('chromium');
	const began = Date.now();
	const env = await startEditorEnvironment();
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	const consoleErrors = [];
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(15_000);
		page.on('console', (message) => {
			if (message.type() !== 'error') return;
			// Before login n8n asks who is signed in and gets 401: that is how its sign-in page works.
			if (page.url().includes('/signin') && /401/.test(message.text())) return;
			consoleErrors.push(`${page.url()}: ${message.text()}`);
		});
		page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));

		await step('login', async () => {
			await page.goto(`${env.n8n.baseUrl}/signin`);
			await page.fill('input[type=email]', env.n8n.owner.email);
			await page.fill('input[type=password]', env.n8n.owner.password);
			await page.keyboard.press('Enter');
			await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 20_000 });
			check('login: the owner signs in', true);
		});
		await step('canvas', () => canvasChecks(page, env));
		await step('trigger panel', () => triggerPanelChecks(page, env));
		await step('trigger options', () => allOptionsChecks(page, env));
		await step('InstaMed node', () => actionNodeChecks(page, env));
		await step('credentials', () => credentialChecks(page, env));
		await step('test event', () => testEventChecks(page, env));
		await step('execution', () => executionChecks(page, env));
		check('no console errors in the editor', consoleErrors.length === 0, consoleErrors.join(' | '));
	} finally {
		await browser.close();
		await env.stop();
	}
	const failed = results.filter((result) => !result.ok);
	console.log(
		`\n${results.length - failed.length}/${results.length} checks passed in ${((Date.now() - began) / 1000).toFixed(0)} s; screenshots in ${path.relative(REPO, SHOTS)}/`,
	);
	process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
