/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../ports';
import { onShutdown, runCommand, startUntilLine, type ManagedProcess } from '../processes';

/**
 * A throwaway Redis for n8n's queue (Bull) and its pub/sub: Debian's `redis-server`, installed
 * with apt-get when missing (as root, as on CI), on 127.0.0.1 on a free port, nothing saved.
 */

export interface RunningRedis {
	host: string;
	port: number;
	process: ManagedProcess;
	stop(): Promise<void>;
}

const SERVER = 'redis-server';

function installed(): string | undefined {
	for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin']) {
		const candidate = path.join(dir, SERVER);
		if (dir && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** `redis-server`, installed with apt-get (Debian's package `redis-server`) when missing. */
export async function ensureRedisServer(log: (message: string) => void): Promise<string> {
	const found = installed();
	if (found) return found;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${SERVER} is not installed: install it (e.g. \`sudo apt-get install redis-server\`), or run as root to let this script install it`,
		);
	}
	log(`${SERVER} is missing: apt-get install redis-server ...`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = ['install', '-y', '-q', '--no-install-recommends', 'redis-server'];
	let result = await runCommand('apt-get install', 'apt-get', install, {
		env,
		timeoutSeconds: 600,
	});
	if (result.code !== 0) {
		// a clean machine may have no package lists yet
		await runCommand('apt-get update', 'apt-get', ['update', '-q'], { env, timeoutSeconds: 600 });
		result = await runCommand('apt-get install', 'apt-get', install, { env, timeoutSeconds: 600 });
	}
	const after = installed();
	if (result.code !== 0 || !after) {
		throw new Error(`apt-get install redis-server failed:\n${result.stderr.slice(-1500)}`);
	}
	return after;
}

export async function startRedis(
	options: { logFile?: string; log?: (message: string) => void } = {},
): Promise<RunningRedis> {
	const server = await ensureRedisServer(options.log ?? (() => undefined));
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-letta-redis-'));
	const port = await freePort();
	// Ctrl-C: the processes are stopped first, then this runs
	onShutdown(() => fs.rmSync(dir, { recursive: true, force: true }));
	try {
		const proc = await startUntilLine(
			'redis-server',
			server,
			[
				'--bind',
				'127.0.0.1',
				'--port',
				String(port),
				'--dir',
				dir,
				'--save',
				'',
				'--appendonly',
				'no',
			],
			/Ready to accept connections/,
			{ cwd: dir, logFile: options.logFile },
		);
		return {
			host: '127.0.0.1',
			port,
			process: proc,
			stop: async () => {
				await proc.stop();
				fs.rmSync(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}
