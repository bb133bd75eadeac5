/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as path from 'node:path';

import { installTarballAsN8nDoes } from '../communityPackage';
import { N8n } from '../instance/N8n';
import { newEncryptionKey, queueEnvironment, type N8nRole } from '../instance/options';
import { freePort } from '../ports';
import { startPostgres, type RunningPostgres } from './postgres';
import { startRedis, type RunningRedis } from './redis';

/**
 * n8n in queue mode, as a scaled installation runs it: PostgreSQL, Redis, one main process
 * (editor, REST API, triggers and pollers), workers that run the queued executions, and a
 * webhook process that takes production and resume URLs (N8N_WEBHOOK_URL points at it). Each
 * process has its own user folder with this package installed the way n8n installs it, as on
 * separate machines; they share the database, Redis and the encryption key.
 */

export interface QueueClusterOptions {
	tarball: string;
	/** Under it: one user folder per process (outside the repository, see test/e2e/README.md). */
	userFoldersDir: string;
	/** Where each process's log goes (`<name>.log`). */
	logDir: string;
	workers: number;
	workerConcurrency?: number;
	log?: (message: string) => void;
}

export interface QueueProcess {
	/** main, worker-1, worker-2, ..., webhook */
	name: string;
	n8n: N8n;
}

export class QueueCluster {
	private constructor(
		readonly postgres: RunningPostgres,
		readonly redis: RunningRedis,
		readonly main: N8n,
		readonly workers: QueueProcess[],
		readonly webhook: N8n,
	) {}

	/** Starts PostgreSQL and Redis and prepares (without starting) every n8n process. */
	static async prepare(options: QueueClusterOptions): Promise<QueueCluster> {
		const [postgres, redis] = await Promise.all([
			startPostgres({ logFile: path.join(options.logDir, 'postgres.log') }),
			startRedis({ logFile: path.join(options.logDir, 'redis.log'), log: options.log }),
		]);
		const encryptionKey = newEncryptionKey();
		const webhookPort = await freePort();
		const shared = queueEnvironment({
			postgres,
			redis,
			webhookUrl: `http://127.0.0.1:${webhookPort}/`,
		});
		const instance = async (name: string, role: N8nRole, port?: number): Promise<N8n> => {
			const n8n = new N8n({
				userFolder: path.join(options.userFoldersDir, name),
				role,
				port: port ?? (await freePort()),
				brokerPort: await freePort(),
				cliBrokerPort: await freePort(),
				encryptionKey,
				workerConcurrency: options.workerConcurrency,
				serverLogFile: path.join(options.logDir, `${name}.log`),
				logFormat: 'json',
				extraEnv: shared,
			});
			await installTarballAsN8nDoes(options.tarball, n8n.options.userFolder);
			return n8n;
		};
		const main = await instance('main', 'main');
		const workers: QueueProcess[] = [];
		for (let index = 1; index <= options.workers; index++) {
			const name = `worker-${index}`;
			workers.push({ name, n8n: await instance(name, 'worker') });
		}
		const webhook = await instance('webhook', 'webhook', webhookPort);
		return new QueueCluster(postgres, redis, main, workers, webhook);
	}

	/** Every n8n process by name. */
	processes(): QueueProcess[] {
		return [
			{ name: 'main', n8n: this.main },
			...this.workers,
			{ name: 'webhook', n8n: this.webhook },
		];
	}

	/** The main process first (it migrates the database), then workers and webhook together. */
	async start(timeoutSeconds = 180): Promise<void> {
		await this.main.start(timeoutSeconds);
		await Promise.all(
			[...this.workers.map((worker) => worker.n8n), this.webhook].map(
				async (n8n) => await n8n.start(timeoutSeconds),
			),
		);
	}

	/** n8n processes first (they hold connections), then Redis and PostgreSQL. */
	async stop(): Promise<void> {
		await Promise.all(this.processes().map(async ({ n8n }) => await n8n.stop()));
		await Promise.all([this.redis.stop(), this.postgres.stop()]);
	}
}
