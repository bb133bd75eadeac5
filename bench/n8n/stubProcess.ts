/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/** The stub agents (stubAgents.ts) in a child process on a free loopback port, and its control calls. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { StubStats } from './stubAgents';

export interface StubProcess {
	url: string;
	reset(latencyMs: number): Promise<void>;
	stats(): Promise<StubStats>;
	stop(): void;
}

export async function startStubAgents(apiKey: string): Promise<StubProcess> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', join(__dirname, 'stubAgents.ts'), '--key', apiKey],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	if (!child.stdout) throw new Error('the stub agents have no stdout');
	const [line] = (await Promise.race([
		once(createInterface({ input: child.stdout }), 'line'),
		once(child, 'exit').then(() => {
			throw new Error('the stub agents exited before they were ready');
		}),
	])) as [string];
	const { url } = JSON.parse(line) as { url: string };
	return {
		url,
		reset: async (latencyMs) => {
			const answer = await fetch(`${url}/__reset`, {
				method: 'POST',
				body: JSON.stringify({ latencyMs }),
			});
			if (!answer.ok) throw new Error(`stub reset: ${answer.status}`);
		},
		stats: async () => (await (await fetch(`${url}/__stats`)).json()) as StubStats,
		stop: () => {
			process.off('exit', killOnExit);
			child.kill('SIGTERM');
		},
	};
}
