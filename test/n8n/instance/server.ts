/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tooling runs in plain Node, outside n8n */
import { request } from 'undici';

import { startProcess, type ManagedProcess } from '../processes';
import { parseLogLine, type N8nLogLine } from './log';
import { baseUrlOf, n8nCommand, n8nEnvironment, type N8nOptions, type N8nRole } from './options';

/**
 * Per role: the command, and the line n8n prints once it is done starting (it answers
 * `/healthz/readiness` earlier: the main process before it has activated the published
 * workflows, whose webhooks answer 404 until then).
 */
const ROLES: Record<N8nRole, { args: string[]; readyLine: string }> = {
	main: { args: ['start'], readyLine: 'Editor is now accessible' },
	worker: { args: ['worker'], readyLine: 'n8n worker is now ready' },
	webhook: { args: ['webhook'], readyLine: 'Webhook listener waiting for requests' },
};

/**
 * The long-running process of one instance (`n8n start`, `n8n worker` or `n8n webhook`, by
 * its role): start it, wait until it serves, read its log, stop it.
 */
export class N8nServer {
	private process: ManagedProcess | undefined;

	private log: N8nLogLine[] = [];

	constructor(readonly options: N8nOptions) {}

	get baseUrl(): string {
		return baseUrlOf(this.options);
	}

	private get role(): N8nRole {
		return this.options.role ?? 'main';
	}

	/** The n8n process (for its memory: /proc/<pid>/status), while it runs. */
	get pid(): number | undefined {
		return this.process && !this.process.hasExited() ? this.process.pid : undefined;
	}

	/** Starts the process and waits until `/healthz/readiness` answers 200 and n8n printed its ready line. */
	async start(timeoutSeconds = 120): Promise<void> {
		if (this.process && !this.process.hasExited()) return;
		this.log = [];
		const role = ROLES[this.role];
		const { workerConcurrency } = this.options;
		const concurrency =
			this.role === 'worker' && workerConcurrency ? [`--concurrency=${workerConcurrency}`] : [];
		const { command, args } = n8nCommand([...role.args, ...concurrency]);
		const name = `n8n ${role.args[0]}`;
		const server = startProcess(name, command, args, {
			cwd: this.options.userFolder,
			env: n8nEnvironment(this.options),
			logFile: this.options.serverLogFile,
			onLine: (line) => {
				this.log.push(parseLogLine(line));
			},
			stopGraceSeconds: 15,
		});
		this.process = server;
		const deadline = Date.now() + timeoutSeconds * 1000;
		while (Date.now() < deadline) {
			if (server.hasExited()) {
				const tail = this.log
					.slice(-25)
					.map((l) => l.message)
					.join('\n');
				throw new Error(`${name} exited before it was ready:\n${tail}`);
			}
			if (await this.ready()) return;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		await server.stop();
		throw new Error(`${name} was not ready on ${this.baseUrl} after ${timeoutSeconds} s`);
	}

	private async ready(): Promise<boolean> {
		try {
			const response = await request(`${this.baseUrl}/healthz/readiness`, {
				headersTimeout: 2000,
				bodyTimeout: 2000,
			});
			await response.body.dump();
			const { readyLine } = ROLES[this.role];
			const started = this.log.some((line) => line.message.includes(readyLine));
			return response.statusCode === 200 && started;
		} catch {
			return false; // not listening yet
		}
	}

	async stop(): Promise<void> {
		await this.process?.stop();
		this.process = undefined;
	}

	/** Resolves when the started server exits (for whatever reason). */
	async exited(): Promise<number | string> {
		if (!this.process) return 'not started';
		return await this.process.exited;
	}

	/** Everything the server printed since it started (parsed). */
	logLines(): N8nLogLine[] {
		return [...this.log];
	}
}
