/**
 * A small client for the REST API that n8n's editor uses, with a cookie jar and a fixed browser id
 * (2.x binds the session token to a hash of the `browser-id` header).
 */

export interface RestResponse<T = any> {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body when it is JSON; n8n wraps most answers in `{ data }`. */
	body: T;
}

export interface RequestOptions {
	body?: unknown;
	query?: Record<string, string | number | boolean | undefined>;
	/** Accepted statuses; anything else throws. Default: 2xx. */
	expect?: number[] | 'any';
	headers?: Record<string, string>;
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: Owner = {
	email: 'owner@example.com',
	firstName: 'Sandbox',
	lastName: 'Owner',
	password: 'Sandbox-Owner-2024',
};

export interface OAuth2ConnectResult {
	/** The authorization URL n8n built, as the editor would open it. */
	authUrl: string;
	/** Where the provider redirected the browser (n8n's callback, with code and state). */
	callbackUrl: string;
	callbackStatus: number;
	callbackBody: string;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

export class N8nRest {
	readonly browserId = 'zoho-salesiq-e2e-browser';
	private readonly cookies = new Map<string, string>();

	constructor(
		readonly baseUrl: string,
		private readonly load: (module: string) => any,
	) {}

	forgetSession(): void {
		this.cookies.clear();
	}

	/** The cookie header value, for handing the session to a browser or another client. */
	get cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	private remember(headers: Headers): void {
		for (const cookie of headers.getSetCookie()) {
			const [pair] = cookie.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	/** A request to n8n with the session cookie; follows no redirects. */
	async request<T = any>(method: string, urlPath: string, options: RequestOptions = {}): Promise<RestResponse<T>> {
		const url = new URL(urlPath, this.baseUrl);
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		const headers: Record<string, string> = { 'browser-id': this.browserId, ...options.headers };
		if (this.cookies.size) headers.cookie = this.cookieHeader;
		let body: string | undefined;
		if (options.body !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(options.body);
		}
		const res = await fetch(url, { method, headers, body, redirect: 'manual' });
		this.remember(res.headers);
		const text = await res.text();
		let parsed: any = text;
		if ((res.headers.get('content-type') ?? '').includes('json')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				// Leave the text as it is.
			}
		}
		const expect = options.expect;
		const ok = expect === 'any' || (expect ? expect.includes(res.status) : res.status >= 200 && res.status < 300);
		if (!ok) {
			throw new Error(`${method} ${url.pathname} -> ${res.status}: ${text.slice(0, 2000)}`);
		}
		return { status: res.status, headers: res.headers, text, body: parsed };
	}

	/** Answers JSON with `data` only once REST routes exist (while migrating, every path says 200 "starting up"). */
	async isReady(): Promise<boolean> {
		try {
			const res = await this.request('GET', '/rest/settings', { expect: 'any' });
			return res.status === 200 && typeof res.body === 'object' && res.body !== null && 'data' in res.body;
		} catch {
			return false;
		}
	}

	async settings(): Promise<Record<string, any>> {
		return (await this.request('GET', '/rest/settings')).body.data;
	}

	/** First start only: creates the owner and signs in (sets the `n8n-auth` cookie). */
	async setupOwner(owner: Owner = DEFAULT_OWNER): Promise<Record<string, any>> {
		return (await this.request('POST', '/rest/owner/setup', { body: owner })).body.data;
	}

	async login(email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password): Promise<Record<string, any>> {
		return (await this.request('POST', '/rest/login', { body: { emailOrLdapLoginId: email, password } })).body.data;
	}

	/** Every node type the instance serves (the editor's node-types data). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; [key: string]: any }>> {
		return (await this.request('GET', '/types/nodes.json')).body;
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string; extends?: string[]; properties: any[]; [key: string]: any }>> {
		return (await this.request('GET', '/types/credentials.json')).body;
	}

	async createCredential(credential: { name: string; type: string; data: Record<string, unknown>; projectId?: string }): Promise<{ id: string; [key: string]: any }> {
		return (await this.request('POST', '/rest/credentials', { body: credential })).body.data;
	}

	/** The stored credential; with `includeData`, its (redacted) data. */
	async getCredential(id: string, includeData = false): Promise<Record<string, any>> {
		return (await this.request('GET', `/rest/credentials/${id}`, { query: { includeData } })).body.data;
	}

	/** The authorization URL the editor opens when the user clicks "Connect my account". */
	async oauth2AuthUrl(credentialId: string): Promise<string> {
		return (await this.request('GET', '/rest/oauth2-credential/auth', { query: { id: credentialId } })).body.data;
	}

	/**
	 * Clicks "Connect": asks n8n for the authorization URL, opens it (the provider answers with a redirect
	 * back to n8n), and follows that redirect to n8n's callback, which exchanges the code for tokens.
	 */
	async connectOAuth2(credentialId: string): Promise<OAuth2ConnectResult> {
		const authUrl = await this.oauth2AuthUrl(credentialId);
		const provider = await fetch(authUrl, { redirect: 'manual' });
		await provider.arrayBuffer();
		const location = provider.headers.get('location');
		if (provider.status < 300 || provider.status >= 400 || !location) {
			throw new Error(`the provider answered ${provider.status} without a redirect to ${authUrl}`);
		}
		const callbackUrl = new URL(location, authUrl).toString();
		const callback = await this.request('GET', callbackUrl, { expect: 'any' });
		return { authUrl, callbackUrl, callbackStatus: callback.status, callbackBody: callback.text };
	}

	async createWorkflow(workflow: Record<string, any>): Promise<Record<string, any>> {
		return (await this.request('POST', '/rest/workflows', { body: workflow })).body.data;
	}

	async getWorkflow(id: string): Promise<Record<string, any>> {
		return (await this.request('GET', `/rest/workflows/${id}`)).body.data;
	}

	/**
	 * Activates ("publishes") a workflow and waits until its triggers are live. On 2.x, activation goes
	 * through a publication outbox and the webhooks are registered shortly after the request returns.
	 */
	async activateWorkflow(id: string, timeoutMs = 30_000): Promise<Record<string, any>> {
		const workflow = await this.getWorkflow(id);
		const activated = await this.request('POST', `/rest/workflows/${id}/activate`, {
			body: { versionId: workflow.versionId },
			expect: 'any',
		});
		if (activated.status === 404) {
			// n8n 1.x: activation is an update of the `active` flag.
			return (await this.request('PATCH', `/rest/workflows/${id}`, { body: { active: true, versionId: workflow.versionId } })).body.data;
		}
		if (activated.status !== 200) throw new Error(`activate ${id} -> ${activated.status}: ${activated.text.slice(0, 2000)}`);
		const status = await this.waitForPublication(id, (s) => !['in_progress', 'not_published'].includes(s.status), timeoutMs);
		if (status && status.status !== 'published') {
			throw new Error(`workflow ${id} was not published: ${JSON.stringify(status)}`);
		}
		return activated.body.data;
	}

	/** Deactivates ("unpublishes") a workflow and waits until its triggers are removed. */
	async deactivateWorkflow(id: string, timeoutMs = 30_000): Promise<Record<string, any>> {
		const deactivated = await this.request('POST', `/rest/workflows/${id}/deactivate`, { body: {}, expect: 'any' });
		if (deactivated.status === 404) {
			const workflow = await this.getWorkflow(id);
			return (await this.request('PATCH', `/rest/workflows/${id}`, { body: { active: false, versionId: workflow.versionId } })).body.data;
		}
		if (deactivated.status !== 200) throw new Error(`deactivate ${id} -> ${deactivated.status}: ${deactivated.text.slice(0, 2000)}`);
		await this.waitForPublication(id, (s) => s.status === 'not_published', timeoutMs);
		return deactivated.body.data;
	}

	/**
	 * 2.x: `{ status: not_published | in_progress | published | partial | failed, triggers }`.
	 * Undefined on 1.x, where activation is synchronous and there is no publication status.
	 */
	async publicationStatus(
		id: string,
	): Promise<{ status: string; triggers: Array<{ nodeId: string; status: string; errorMessage?: string }>; [key: string]: any } | undefined> {
		const res = await this.request('GET', `/rest/workflows/${id}/publication-status`, { expect: [200, 404] });
		return res.status === 404 ? undefined : res.body.data;
	}

	private async waitForPublication(id: string, done: (s: { status: string }) => boolean, timeoutMs: number) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.publicationStatus(id);
			if (!status || done(status)) return status;
			if (Date.now() > deadline) throw new Error(`workflow ${id}: publication still ${JSON.stringify(status)} after ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	/**
	 * Runs a saved workflow as the editor's "Execute workflow" button does (2.x), starting from the
	 * named trigger. Returns the execution id.
	 */
	async runWorkflow(id: string, triggerName: string): Promise<string> {
		const res = await this.request('POST', `/rest/workflows/${id}/run`, { body: { triggerToStartFrom: { name: triggerName } } });
		const executionId = res.body.data?.executionId;
		if (!executionId) throw new Error(`run ${id} started no execution: ${res.text.slice(0, 2000)}`);
		return String(executionId);
	}

	/** Executions, newest first (all workflows, or one). */
	async listExecutions(workflowId?: string): Promise<ExecutionSummary[]> {
		const filter = workflowId ? JSON.stringify({ workflowId }) : undefined;
		const body = (await this.request('GET', '/rest/executions', { query: { filter, limit: 100 } })).body.data;
		return body.results ?? body;
	}

	/** One execution with its run data decoded (n8n serialises it with `flatted`). */
	async getExecution(id: string): Promise<ExecutionSummary & { data: any; workflowData: any }> {
		const execution = (await this.request('GET', `/rest/executions/${id}`)).body.data;
		if (typeof execution.data === 'string') execution.data = this.load('flatted').parse(execution.data);
		return execution;
	}

	/** Polls until an execution of the workflow satisfies `done` (default: finished or failed). */
	async waitForExecution(
		workflowId: string,
		options: { after?: string[]; timeoutMs?: number; done?: (e: ExecutionSummary) => boolean } = {},
	): Promise<ExecutionSummary & { data: any; workflowData: any }> {
		const done = options.done ?? ((e) => !['new', 'running', 'waiting'].includes(e.status));
		const deadline = Date.now() + (options.timeoutMs ?? 30_000);
		while (Date.now() < deadline) {
			const found = (await this.listExecutions(workflowId)).find((e) => !options.after?.includes(e.id) && done(e));
			if (found) return this.getExecution(found.id);
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`no finished execution of workflow ${workflowId} within ${options.timeoutMs ?? 30_000} ms`);
	}
}
