/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * The Letta simulator in a child process (test/simulator/cli.ts, no Prism in front: the
 * validator adds a proxy hop and seconds of start-up that would be measured too).
 *
 * Out of process rather than in-process so that the benchmark's heap and RSS figures are
 * the n8n side's alone (the simulator keeps every message and request body it receives),
 * and so that its CPU work runs on the other core instead of the measured event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 20_000;

export interface SimulatorProcess {
	/** Base URL of the simulator, e.g. http://127.0.0.1:41234 (loopback, free port). */
	url: string;
	pid: number;
	stop(): Promise<void>;
}

interface ReadyLine {
	simulatorUrl: string;
}

function waitForReadyLine(child: ChildProcess): Promise<ReadyLine> {
	return new Promise((resolve, reject) => {
		const stdout = child.stdout;
		if (!stdout) {
			reject(new Error('simulator child has no stdout'));
			return;
		}
		const lines = createInterface({ input: stdout });
		const timer = setTimeout(() => {
			fail(new Error(`simulator did not start within ${START_TIMEOUT_MS / 1000} s`));
		}, START_TIMEOUT_MS);
		function fail(error: Error) {
			clearTimeout(timer);
			child.kill('SIGKILL');
			reject(error);
		}
		child.once('error', fail);
		child.once('exit', (code) =>
			fail(new Error(`simulator exited (code ${String(code)}) before it was ready`)),
		);
		lines.once('line', (line) => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(line) as ReadyLine);
			} catch {
				fail(new Error(`simulator printed an unexpected first line: ${line}`));
			}
		});
	});
}

/** Starts the simulator on 127.0.0.1 and a free port; it is killed when this process exits. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', join('test', 'simulator', 'cli.ts'), '--port', '0', '--host', '127.0.0.1'],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	const ready = await waitForReadyLine(child);
	child.removeAllListeners('exit');
	return {
		url: ready.simulatorUrl,
		pid: child.pid ?? -1,
		stop: async () => {
			process.off('exit', killOnExit);
			if (child.exitCode !== null) return;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve();
				});
				child.kill('SIGTERM');
			});
		},
	};
}
