/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../ports';
import { onShutdown, runChecked, startUntilLine, type ManagedProcess } from '../processes';

/**
 * A throwaway PostgreSQL for n8n's queue mode: a fresh cluster in a temporary folder outside
 * the repository, listening on 127.0.0.1 on a free port, trusted logins, no durability (it
 * lives for one run). PostgreSQL refuses to run as root: as root, it runs as the system user
 * `postgres` (the Debian package creates it), or as a system user created for it.
 */

export interface RunningPostgres {
	host: string;
	port: number;
	/** A superuser; logins from 127.0.0.1 are trusted. */
	user: string;
	database: string;
	dataDir: string;
	process: ManagedProcess;
	/** Stops the server (fast shutdown) and deletes its folder. */
	stop(): Promise<void>;
}

const DATABASE_USER = 'n8n';
const FALLBACK_SYSTEM_USER = 'n8n-nodes-letta-pg';

function onPath(binary: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const candidate = path.join(dir, binary);
		if (dir && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** `initdb` and `postgres`: from PATH, else the newest Debian install (/usr/lib/postgresql/N/bin). */
function postgresBinaries(): { initdb: string; postgres: string } {
	const initdb = onPath('initdb');
	const postgres = onPath('postgres');
	if (initdb && postgres) return { initdb, postgres };
	const debianRoot = '/usr/lib/postgresql';
	const versions = fs.existsSync(debianRoot)
		? fs
				.readdirSync(debianRoot)
				.filter((name) => /^\d+$/.test(name))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	for (const version of versions) {
		const bin = path.join(debianRoot, version, 'bin');
		if (fs.existsSync(path.join(bin, 'initdb')))
			return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
	}
	throw new Error(
		'PostgreSQL is not installed (no initdb/postgres on PATH or under /usr/lib/postgresql): install it, e.g. `apt-get install postgresql`',
	);
}

async function idOf(user: string, flag: '-u' | '-g'): Promise<number | undefined> {
	try {
		const { stdout } = await runChecked('id', 'id', [flag, user]);
		return Number(stdout.trim());
	} catch {
		return undefined;
	}
}

/** As root: the unprivileged user that runs PostgreSQL (created when missing). */
async function systemUser(): Promise<{ name: string; uid: number; gid: number }> {
	for (const name of ['postgres', FALLBACK_SYSTEM_USER]) {
		const uid = await idOf(name, '-u');
		const gid = await idOf(name, '-g');
		if (uid !== undefined && gid !== undefined && uid !== 0) return { name, uid, gid };
	}
	await runChecked('useradd', 'useradd', [
		'--system',
		'--no-create-home',
		'--shell',
		'/usr/sbin/nologin',
		FALLBACK_SYSTEM_USER,
	]);
	return await systemUser();
}

export async function startPostgres(
	options: { logFile?: string; timeoutSeconds?: number } = {},
): Promise<RunningPostgres> {
	const binaries = postgresBinaries();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-letta-postgres-'));
	const dataDir = path.join(root, 'data');
	let asUser = (command: string, args: string[]) => ({ command, args });
	if (process.getuid?.() === 0) {
		const user = await systemUser();
		fs.chownSync(root, user.uid, user.gid);
		asUser = (command, args) => ({
			command: 'runuser',
			args: ['-u', user.name, '--', command, ...args],
		});
	}
	const cleanUp = () => fs.rmSync(root, { recursive: true, force: true });
	// Ctrl-C: the processes are stopped first, then this runs
	onShutdown(cleanUp);
	try {
		const init = asUser(binaries.initdb, [
			'-D',
			dataDir,
			'-U',
			DATABASE_USER,
			'--auth=trust',
			'--no-sync',
			'--encoding=UTF8',
			'--locale=C',
		]);
		await runChecked('initdb', init.command, init.args, { cwd: root, timeoutSeconds: 120 });
		const port = await freePort();
		const server = asUser(binaries.postgres, [
			'-D',
			dataDir,
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			// its Unix socket goes into the throwaway folder, not /var/run/postgresql
			'-k',
			root,
			// a database that lives for one run needs no durability
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		]);
		const proc = await startUntilLine(
			'postgres',
			server.command,
			server.args,
			/database system is ready to accept connections/,
			{ cwd: root, logFile: options.logFile, timeoutSeconds: options.timeoutSeconds ?? 60 },
		);
		return {
			host: '127.0.0.1',
			port,
			user: DATABASE_USER,
			database: 'postgres',
			dataDir,
			process: proc,
			stop: async () => {
				await proc.stop();
				cleanUp();
			},
		};
	} catch (error) {
		cleanUp();
		throw error;
	}
}
