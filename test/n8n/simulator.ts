/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as path from 'node:path';

import { node24Bin, repoRoot, tsxBin } from './paths';
import { startProcess, type ManagedProcess } from './processes';

/**
 * The one door from the real-n8n tooling (demo and e2e) to the simulator in test/simulator: it
 * is started as a process through its CLI, and the demo reads its seeded facts from here, so
 * scripts/ does not import the simulator's internals.
 */
export { AGENT_IDS, SIMULATOR_API_KEY } from '../simulator/fixtures';

/** The URLs `test/simulator/cli.ts` prints as one JSON line once it is ready. */
export interface SimulatorUrls {
	/** The simulator itself (its control API lives under /__sim). */
	simulatorUrl: string;
	controlUrl: string;
	/** What a Letta client uses: the Prism validator when --validate is on. */
	apiUrl: string;
	validatorUrl: string | null;
}

export interface RunningSimulatorProcess extends SimulatorUrls {
	process: ManagedProcess;
	stop(): Promise<void>;
}

export interface StartSimulatorOptions {
	port?: number;
	validate?: boolean;
	apiKey?: string;
	logFile?: string;
	timeoutSeconds?: number;
}

/** Starts the Letta simulator as its own process (under Node 24) and waits for its URLs. */
export async function startSimulatorProcess(
	options: StartSimulatorOptions = {},
): Promise<RunningSimulatorProcess> {
	const args = [tsxBin, path.join(repoRoot, 'test', 'simulator', 'cli.ts')];
	args.push('--port', String(options.port ?? 0));
	if (options.validate) args.push('--validate');
	if (options.apiKey) args.push('--api-key', options.apiKey);
	const stderr: string[] = [];
	let resolveUrls: (urls: SimulatorUrls) => void = () => undefined;
	const urlsPromise = new Promise<SimulatorUrls>((resolve) => {
		resolveUrls = resolve;
	});
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
	};
	const child = startProcess('letta simulator', node24Bin, args, {
		cwd: repoRoot,
		env,
		logFile: options.logFile,
		onLine: (line, stream) => {
			if (stream === 'stderr') {
				stderr.push(line);
				return;
			}
			const trimmed = line.trim();
			if (!trimmed.startsWith('{')) return;
			try {
				const parsed = JSON.parse(trimmed) as Partial<SimulatorUrls>;
				if (typeof parsed.apiUrl === 'string' && typeof parsed.simulatorUrl === 'string') {
					resolveUrls(parsed as SimulatorUrls);
				}
			} catch {
				// another line
			}
		},
	});
	const timeout = (options.timeoutSeconds ?? 120) * 1000;
	let timer: NodeJS.Timeout | undefined;
	const urls = await Promise.race([
		urlsPromise,
		child.exited.then((code) => {
			throw new Error(
				`The Letta simulator exited (${String(code)}) before it was ready:\n${stderr.slice(-20).join('\n')}`,
			);
		}),
		new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new Error(`The Letta simulator was not ready after ${timeout / 1000} s`)),
				timeout,
			);
		}),
	]).catch(async (error: unknown) => {
		await child.stop();
		throw error;
	});
	if (timer) clearTimeout(timer);
	return {
		...urls,
		process: child,
		stop: async () => await child.stop(),
	};
}
