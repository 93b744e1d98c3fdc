// n8n's internal REST API, as the owner, for what the CLI cannot do: data tables, execution
// counts and arming a test webhook. The session is the `n8n-auth` cookie bound to a browser id.
const { randomUUID } = require('node:crypto');

class RestError extends Error {
	constructor(method, route, status, message) {
		super(`${method} ${route} -> ${status}: ${message}`);
		this.status = status;
	}
}

class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.browserId = randomUUID();
		this.cookie = undefined;
		this.projectId = undefined;
	}

	async request(method, route, body) {
		const headers = { 'browser-id': this.browserId, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await res.text();
		const parsed = text ? JSON.parse(text) : {};
		if (!res.ok) throw new RestError(method, route, res.status, parsed.message ?? text);
		return parsed.data;
	}

	/** Creates the instance owner (first user) and keeps the session. */
	async setupOwner(owner) {
		await this.request('POST', '/owner/setup', owner);
		const project = await this.request('GET', '/projects/personal');
		this.projectId = project.id;
	}

	/** What another process needs to act in this session (n8n allows 5 logins a minute per user). */
	session() {
		return { cookie: this.cookie, browserId: this.browserId, projectId: this.projectId };
	}

	static fromSession(baseUrl, { cookie, browserId, projectId }) {
		const rest = new N8nRest(baseUrl);
		Object.assign(rest, { cookie, browserId, projectId });
		return rest;
	}

	async login({ email, password }) {
		await this.request('POST', '/login', { emailOrLdapLoginId: email, password });
		const project = await this.request('GET', '/projects/personal');
		this.projectId = project.id;
	}

	dataTablesRoute(suffix = '') {
		return `/projects/${this.projectId}/data-tables${suffix}`;
	}

	async findDataTable(name) {
		const filter = encodeURIComponent(JSON.stringify({ name }));
		const page = await this.request('GET', this.dataTablesRoute(`?filter=${filter}&take=100`));
		return page.data.find((table) => table.name === name);
	}

	/** Creates the data table unless one of that name exists; returns it. */
	async ensureDataTable(name, columns) {
		const existing = await this.findDataTable(name);
		if (existing) return existing;
		return await this.request('POST', this.dataTablesRoute(), { name, columns });
	}

	async deleteDataTable(name) {
		const table = await this.findDataTable(name);
		if (table) await this.request('DELETE', this.dataTablesRoute(`/${table.id}`));
	}

	/** Every row of a data table (system columns id/createdAt/updatedAt included). */
	async dataTableRows(name) {
		const table = await this.findDataTable(name);
		if (!table) throw new Error(`No data table named ${name}`);
		const rows = [];
		for (;;) {
			const route = this.dataTablesRoute(`/${table.id}/rows?take=1000&skip=${rows.length}`);
			const page = await this.request('GET', route);
			rows.push(...page.data);
			if (page.data.length === 0 || rows.length >= page.count) return rows;
		}
	}

	/** Executions n8n recorded for a workflow, newest first: [{ id, mode, status }]. */
	async executions(workflowId) {
		const all = await this.executionSummaries(workflowId);
		return all.map(({ id, mode, status }) => ({ id, mode, status }));
	}

	/** Every execution of a workflow with its times: [{ id, status, startedAt, ... }], newest first. */
	async executionSummaries(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const all = [];
		// n8n pages at most 100 per request (plus running ones; 2.41 refuses a larger limit). Older
		// pages: after `lastId`, or, from 2.41 (which refuses lastId), at the `nextCursor` a page names.
		for (let after = ''; ; ) {
			const page = await this.request('GET', `/executions?filter=${filter}&limit=100${after}`);
			const older = page.results.filter(
				(execution) => !all.some((seen) => seen.id === execution.id),
			);
			if (older.length === 0) return all;
			all.push(...older);
			if ('nextCursor' in page) {
				if (!page.nextCursor) return all;
				after = `&cursor=${encodeURIComponent(page.nextCursor)}`;
			} else {
				after = `&lastId=${older[older.length - 1].id}`;
			}
		}
	}

	/** An execution's saved run data, as n8n stores it (serialised text). */
	async executionData(id) {
		const execution = await this.request('GET', `/executions/${id}`);
		return typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data);
	}

	async countExecutions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.request('GET', `/executions?filter=${filter}&limit=1`);
		return page.count;
	}

	async workflow(id) {
		return await this.request('GET', `/workflows/${id}`);
	}

	/**
	 * Publishes (activates) the workflow's current version, as the editor's Publish button does:
	 * its webhooks are registered at once, and an activation error comes back as the answer.
	 */
	async publishWorkflow(id) {
		const { versionId } = await this.workflow(id);
		try {
			await this.request('POST', `/workflows/${id}/activate`, { versionId });
		} catch (error) {
			if (error.status !== 404 || !/Version not found/.test(error.message)) throw error;
			await this.saveVersionHistory(id);
			await this.request('POST', `/workflows/${id}/activate`, {
				versionId: (await this.workflow(id)).versionId,
			});
		}
	}

	/**
	 * n8n 2.0 publishes only a version in the workflow's history, which its import:workflow does
	 * not write, and a save writes one only when nodes or connections change (workflow.service.js
	 * update: saveNewVersion): the first node is moved by one pixel and back, leaving the workflow
	 * as it was with its current version in the history.
	 */
	async saveVersionHistory(id) {
		const { nodes } = await this.workflow(id);
		const moved = nodes.map((node, index) =>
			index === 0 ? { ...node, position: [node.position[0] + 1, node.position[1]] } : node,
		);
		await this.updateWorkflow(id, { nodes: moved });
		await this.updateWorkflow(id, { nodes });
	}

	/**
	 * How a publish ended where n8n applies it in the background (2.x's publication service: the
	 * publish call returns first): undefined once no trigger is still being activated and none
	 * failed, else the first failed trigger's error, as the editor shows it.
	 */
	async publicationError(id, timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { status, triggers } = await this.request('GET', `/workflows/${id}/publication-status`);
			const failed = triggers.find((trigger) => trigger.status === 'failed');
			if (failed) return failed.errorMessage;
			if (status !== 'in_progress' && status !== 'not_published') return undefined;
			if (Date.now() > deadline) throw new Error(`workflow ${id} still publishing (${status})`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	/** Saves changes to a workflow (a new version, as the editor's Save does); publish it after. */
	async updateWorkflow(id, changes) {
		const { versionId } = await this.workflow(id);
		await this.request('PATCH', `/workflows/${id}`, { ...changes, versionId });
	}

	/** Replaces a credential's name, type and data (n8n encrypts the data). */
	async updateCredential(id, { name, type, data }) {
		await this.request('PATCH', `/credentials/${id}`, { name, type, data });
	}

	/**
	 * What the editor's "Execute workflow" / "Listen for test event" does: registers the trigger's
	 * test webhook (`/webhook-test/<path>`) for one call, for two minutes.
	 */
	async armTestWebhook(workflowId, triggerName) {
		// n8n 1.x and 2.0 run the workflow sent with the call, as their editor does
		// (workflows.controller.js runManually reads workflowData.id); later 2.x run the stored one
		// and drop what their ManualRunDto does not name.
		const body = {
			workflowData: await this.workflow(workflowId),
			triggerToStartFrom: { name: triggerName },
		};
		const result = await this.request('POST', `/workflows/${workflowId}/run`, body);
		if (!result?.waitingForWebhook) throw new Error('n8n did not register a test webhook');
	}
}

module.exports = { N8nRest, RestError };
