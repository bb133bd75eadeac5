/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- tooling runs in plain Node, outside n8n */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';

/**
 * Every child process the tooling starts goes through here. Each one runs in its own
 * process group (detached), so that stopping it also stops what it spawned (n8n's task
 * runners, Prism behind the simulator, npm's node-gyp...). Everything still running is
 * stopped on Ctrl-C, on SIGTERM, on an uncaught error and on exit.
 */

export interface StartOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Appends stdout and stderr of the process to this file. */
	logFile?: string;
	/** Called with each line of stdout and of stderr. */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Seconds to wait after SIGTERM before SIGKILL. */
	stopGraceSeconds?: number;
}

export interface ManagedProcess {
	readonly name: string;
	readonly child: ChildProcess;
	readonly pid: number;
	/** Resolves with the exit code (or the signal name) once the process has exited. */
	readonly exited: Promise<number | string>;
	hasExited(): boolean;
	/** SIGTERM to the whole group, SIGKILL after the grace period; resolves once exited. */
	stop(): Promise<void>;
}

const running = new Set<ManagedProcess>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// the group is gone already
	}
}

export function startProcess(
	name: string,
	command: string,
	args: string[],
	options: StartOptions = {},
): ManagedProcess {
	installCleanupHandlers();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (child.pid === undefined) {
		throw new Error(`Could not start ${name} (${command})`);
	}
	const pid = child.pid;
	const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	for (const stream of ['stdout', 'stderr'] as const) {
		const source = child[stream];
		if (!source) continue;
		if (log) source.pipe(log, { end: false });
		if (options.onLine) {
			const onLine = options.onLine;
			readline.createInterface({ input: source }).on('line', (line) => onLine(line, stream));
		} else {
			source.resume();
		}
	}
	let exitedFlag = false;
	const exited = new Promise<number | string>((resolve) => {
		child.on('error', () => {
			exitedFlag = true;
			resolve('spawn-error');
		});
		child.on('exit', (code, signal) => {
			exitedFlag = true;
			// kill whatever the process left behind in its group
			killGroup(pid, 'SIGKILL');
			resolve(code ?? signal ?? 'unknown');
		});
	});
	const grace = (options.stopGraceSeconds ?? 10) * 1000;
	const managed: ManagedProcess = {
		name,
		child,
		pid,
		exited,
		hasExited: () => exitedFlag,
		async stop() {
			if (!exitedFlag) {
				killGroup(pid, 'SIGTERM');
				const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
				await exited;
				clearTimeout(timer);
			}
			killGroup(pid, 'SIGKILL');
			running.delete(managed);
			log?.end();
		},
	};
	running.add(managed);
	void exited.then(() => {
		running.delete(managed);
		// let the log stream flush what the pipes still hold
		setTimeout(() => log?.end(), 50);
	});
	return managed;
}

/**
 * Starts a server process and resolves once it printed a line matching `ready` (on stdout or
 * stderr); throws with the tail of its output when it exits or takes longer than the timeout.
 */
export async function startUntilLine(
	name: string,
	command: string,
	args: string[],
	ready: RegExp,
	options: Omit<StartOptions, 'onLine'> & { timeoutSeconds?: number } = {},
): Promise<ManagedProcess> {
	const lines: string[] = [];
	let resolveReady: () => void = () => undefined;
	const readyPromise = new Promise<void>((resolve) => {
		resolveReady = resolve;
	});
	const proc = startProcess(name, command, args, {
		...options,
		onLine: (line) => {
			lines.push(line);
			if (ready.test(line)) resolveReady();
		},
	});
	const timeoutSeconds = options.timeoutSeconds ?? 60;
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			readyPromise,
			proc.exited.then((code) => {
				throw new Error(`${name} exited (${String(code)}) before it was ready`);
			}),
			new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`${name} was not ready after ${timeoutSeconds} s`)),
					timeoutSeconds * 1000,
				);
			}),
		]);
	} catch (error) {
		await proc.stop();
		const tail = lines.slice(-20).join('\n');
		throw new Error(`${error instanceof Error ? error.message : String(error)}:\n${tail}`);
	} finally {
		if (timer) clearTimeout(timer);
	}
	return proc;
}

export interface RunResult {
	code: number | string;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion (still stoppable by Ctrl-C), collecting its output. */
export async function runCommand(
	name: string,
	command: string,
	args: string[],
	options: Omit<StartOptions, 'onLine'> & { timeoutSeconds?: number; echo?: boolean } = {},
): Promise<RunResult> {
	const stdout: string[] = [];
	const stderr: string[] = [];
	const proc = startProcess(name, command, args, {
		...options,
		onLine: (line, stream) => {
			(stream === 'stdout' ? stdout : stderr).push(line);
			if (options.echo) process.stderr.write(`  [${name}] ${line}\n`);
		},
	});
	let timer: NodeJS.Timeout | undefined;
	if (options.timeoutSeconds) {
		timer = setTimeout(() => {
			void proc.stop();
		}, options.timeoutSeconds * 1000);
	}
	const code = await proc.exited;
	if (timer) clearTimeout(timer);
	await proc.stop();
	return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

/** Like runCommand, but throws with the tail of the output when the exit code is not 0. */
export async function runChecked(
	name: string,
	command: string,
	args: string[],
	options: Omit<StartOptions, 'onLine'> & { timeoutSeconds?: number; echo?: boolean } = {},
): Promise<RunResult> {
	const result = await runCommand(name, command, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`${name} failed (exit ${String(result.code)}):\n${tail}`);
	}
	return result;
}

/** Stops every process still running, newest first. */
export async function stopAll(): Promise<void> {
	const list = [...running].reverse();
	await Promise.all(list.map(async (p) => await p.stop()));
}

let handlersInstalled = false;
let shuttingDown = false;
const cleanups: Array<() => void | Promise<void>> = [];

/** True once Ctrl-C (or SIGTERM) started stopping everything. */
export function isShuttingDown(): boolean {
	return shuttingDown;
}

/** Registers work to do before exiting on a signal (after stopping the processes). */
export function onShutdown(cleanup: () => void | Promise<void>): void {
	cleanups.push(cleanup);
}

function installCleanupHandlers(): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	const shutdown = (signal: NodeJS.Signals) => {
		if (shuttingDown) {
			// second Ctrl-C (or the same one relayed by tsx's parent process): no more waiting,
			// but the clean-ups still run (they delete folders; their synchronous part is enough)
			for (const p of running) killGroup(p.pid, 'SIGKILL');
			for (const cleanup of cleanups) {
				try {
					void cleanup();
				} catch {
					// best effort
				}
			}
			process.exit(130);
		}
		shuttingDown = true;
		process.stderr.write(`\n${signal}: stopping ${running.size} process(es)...\n`);
		void (async () => {
			await stopAll();
			for (const cleanup of cleanups) {
				try {
					await cleanup();
				} catch {
					// best effort
				}
			}
			process.exit(signal === 'SIGINT' ? 130 : 143);
		})();
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	process.on('SIGHUP', shutdown);
	// last resort: nothing outlives this process
	process.on('exit', () => {
		for (const p of running) killGroup(p.pid, 'SIGKILL');
	});
}
