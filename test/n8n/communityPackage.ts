/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { node24NpmEnv } from './ensureN8n';
import { withLock } from './lock';
import { n8nNodeCliBin, packDir, repoRoot } from './paths';
import { runChecked } from './processes';

/**
 * Build, pack and install this package the way n8n installs a community package
 * (n8n 2.41, CommunityPackagesService.downloadPackage):
 *   1. `npm pack <name>@<version>` (here: `npm pack` of the repository, the same tarball
 *      the registry would serve),
 *   2. `tar -xzf <tarball> -C <user folder>/.n8n/nodes/node_modules/<name> --strip-components=1`,
 *   3. drop devDependencies, peerDependencies and optionalDependencies from its package.json,
 *   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *       --ignore-scripts=true --package-lock=false` inside it,
 *   5. record `<name>: <version>` in `<user folder>/.n8n/nodes/package.json`.
 * n8n then loads every `n8n-nodes-*` folder under `.n8n/nodes/node_modules` at start, with its
 * own node_modules on NODE_PATH (which is where `n8n-workflow` resolves from). So anything the
 * built package needs but does not ship (a dist file missing from `files`, a wrong path in the
 * `n8n` section, an import of a devDependency) fails here exactly as it would for a user.
 */

export interface PackageJson {
	name: string;
	version: string;
	n8n?: { n8nNodesApiVersion?: number; strict?: boolean; nodes?: string[]; credentials?: string[] };
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	[key: string]: unknown;
}

export function readPackageJson(dir: string): PackageJson {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** `n8n-node build` into dist/ (tsc plus static files). */
export async function buildPackage(options: { echo?: boolean } = {}): Promise<void> {
	await runChecked('n8n-node build', n8nNodeCliBin, ['build'], {
		cwd: repoRoot,
		env: node24NpmEnv(),
		timeoutSeconds: 600,
		echo: options.echo,
	});
}

/** `npm pack` of the repository into .cache/pack/; returns the tarball's absolute path. */
export async function packPackage(destination = packDir): Promise<string> {
	fs.mkdirSync(destination, { recursive: true });
	const { stdout } = await runChecked(
		'npm pack',
		'npm',
		['pack', '--json', '--pack-destination', destination, '--loglevel=error'],
		{ cwd: repoRoot, env: node24NpmEnv(), timeoutSeconds: 300 },
	);
	// npm prints the JSON report on stdout (a prepack script could print before it)
	const start = stdout.indexOf('[');
	const report = JSON.parse(stdout.slice(start)) as Array<{ filename: string }>;
	const tarball = path.join(destination, report[0].filename);
	if (!fs.existsSync(tarball))
		throw new Error(`npm pack reported ${tarball}, which does not exist`);
	return tarball;
}

/**
 * Build, then pack: what the demo and the e2e suite install. Holds a lock, so that two of
 * them started together do not rebuild dist/ while the other one packs it.
 */
export async function buildAndPack(destination = packDir): Promise<string> {
	return await withLock('build', async () => {
		await buildPackage();
		return await packPackage(destination);
	});
}

/** The folder n8n downloads community packages into, for a given N8N_USER_FOLDER. */
export function nodesDownloadDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes');
}

export interface InstalledPackage {
	name: string;
	version: string;
	directory: string;
	packageJson: PackageJson;
}

/** Installs a packed tarball into `<userFolder>/.n8n/nodes/node_modules/<name>` as n8n does. */
export async function installTarballAsN8nDoes(
	tarball: string,
	userFolder: string,
): Promise<InstalledPackage> {
	const downloadDir = nodesDownloadDir(userFolder);
	fs.mkdirSync(downloadDir, { recursive: true });
	const staging = fs.mkdtempSync(path.join(downloadDir + '-staging-'));
	try {
		// read the name from the tarball itself, as n8n knows it from the registry
		await runChecked('tar (read package.json)', 'tar', [
			'-xzf',
			tarball,
			'-C',
			staging,
			'--strip-components=1',
			'package/package.json',
		]);
		const { name } = readPackageJson(staging);
		if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/.test(name)) {
			throw new Error(
				`package.json name "${name}" is not an n8n community package name (n8n-nodes-* or @scope/n8n-nodes-*): n8n would refuse it`,
			);
		}
		const packageDirectory = path.join(downloadDir, 'node_modules', name);
		fs.rmSync(packageDirectory, { recursive: true, force: true });
		fs.mkdirSync(packageDirectory, { recursive: true });
		await runChecked('tar (extract package)', 'tar', [
			'-xzf',
			tarball,
			'-C',
			packageDirectory,
			'--strip-components=1',
		]);
		const packageJsonPath = path.join(packageDirectory, 'package.json');
		const packageJson = readPackageJson(packageDirectory);
		delete packageJson.devDependencies;
		delete packageJson.peerDependencies;
		delete packageJson.optionalDependencies;
		fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');
		await runChecked(
			'npm install (community package)',
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: packageDirectory, env: node24NpmEnv(), timeoutSeconds: 300 },
		);
		// n8n's ledger of installed packages
		const ledgerPath = path.join(downloadDir, 'package.json');
		const ledger = fs.existsSync(ledgerPath)
			? (JSON.parse(fs.readFileSync(ledgerPath, 'utf8')) as PackageJson)
			: { name: 'installed-nodes', version: '0.0.0', private: true, dependencies: {} };
		ledger.dependencies = { ...(ledger.dependencies ?? {}), [name]: packageJson.version };
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
		return {
			name,
			version: packageJson.version,
			directory: packageDirectory,
			packageJson,
		};
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** What the package declares: the node and credential files n8n will load. */
export function declaredFiles(packageJson: PackageJson): {
	nodes: string[];
	credentials: string[];
} {
	return {
		nodes: packageJson.n8n?.nodes ?? [],
		credentials: packageJson.n8n?.credentials ?? [],
	};
}
