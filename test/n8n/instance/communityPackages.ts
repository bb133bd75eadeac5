/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { n8nInstallDir, node24Bin } from '../paths';
import { runChecked } from '../processes';
import { unexpectedAnswer, type RestSession } from './restSession';

/**
 * n8n's record of an installed community package: what Settings > Community nodes lists.
 * n8n 2.41 writes it when it installs a package from the registry (CommunityPackagesService
 * -> InstalledPackagesRepository.persistPackageWithNodes): one `installed_packages` row and one
 * `installed_nodes` row per node its PackageDirectoryLoader loaded. That path needs the package
 * on a registry, so for a tarball this module writes the same rows, read by the same loader.
 */

export interface InstalledNodeRecord {
	/** The node's displayName (the table's primary key). */
	name: string;
	/** `<package>.<node name>` */
	type: string;
	latestVersion: number;
}

export interface InstalledPackageRecord {
	packageName: string;
	installedVersion: string;
	authorName: string | null;
	authorEmail: string | null;
	nodes: InstalledNodeRecord[];
}

/** What `GET /rest/community-packages` serves for one package. */
export interface ListedCommunityPackage {
	packageName: string;
	installedVersion: string;
	failedLoading?: boolean;
	installedNodes: Array<{ name: string; type: string; latestVersion: number }>;
}

/**
 * Runs in the pinned n8n's runtime (its node_modules on NODE_PATH, as n8n puts them): loads the
 * installed package with n8n-core's PackageDirectoryLoader, as n8n's loadPackage() does, and
 * prints the fields persistPackageWithNodes() takes from it.
 */
const LOADER_SCRIPT = `
const { PackageDirectoryLoader } = require('n8n-core');
(async () => {
	const loader = new PackageDirectoryLoader(process.argv[1]);
	await loader.loadAll();
	const { name, version, author } = loader.packageJson;
	const byObject = typeof author === 'object' && author !== null ? author : {};
	process.stdout.write(JSON.stringify({
		packageName: name,
		installedVersion: version,
		authorName: byObject.name ?? null,
		authorEmail: byObject.email ?? null,
		nodes: loader.loadedNodes.map((node) => ({
			name: loader.nodeTypes[node.name].type.description.displayName,
			type: name + '.' + node.name,
			latestVersion: node.version,
		})),
	}));
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
`;

function isRecord(value: unknown): value is InstalledPackageRecord {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<InstalledPackageRecord>;
	return (
		typeof record.packageName === 'string' &&
		typeof record.installedVersion === 'string' &&
		Array.isArray(record.nodes) &&
		record.nodes.every(
			(node) =>
				typeof node.name === 'string' &&
				typeof node.type === 'string' &&
				typeof node.latestVersion === 'number',
		)
	);
}

/** The record n8n would write for the package installed in `packageDirectory`. */
export async function readPackageRecord(packageDirectory: string): Promise<InstalledPackageRecord> {
	const { stdout } = await runChecked(
		'n8n-core PackageDirectoryLoader',
		node24Bin,
		['-e', LOADER_SCRIPT, packageDirectory],
		{
			// n8n's own modules only, and no loader of the tooling's (tsx) in NODE_OPTIONS
			env: {
				...process.env,
				NODE_OPTIONS: '',
				NODE_PATH: path.join(n8nInstallDir, 'node_modules'),
			},
			timeoutSeconds: 120,
		},
	);
	const record: unknown = JSON.parse(stdout);
	if (!isRecord(record)) {
		throw new Error(
			`n8n's loader described ${packageDirectory} unexpectedly: ${stdout.slice(0, 300)}`,
		);
	}
	return record;
}

/** n8n's SQLite database of a user folder (DB_SQLITE_DATABASE's default). */
export function sqliteDatabasePath(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/** How n8n's sqlite entities fill `createdAt`/`updatedAt` (the columns' default, written out). */
const NOW = `STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')`;

/**
 * Writes the record into the instance's database (migrated, n8n not running), replacing an
 * earlier one of the same package in one transaction, as n8n does on an update.
 */
export function writePackageRecord(userFolder: string, record: InstalledPackageRecord): void {
	const file = sqliteDatabasePath(userFolder);
	if (!fs.existsSync(file)) {
		throw new Error(`${file} does not exist: run an n8n command first (it creates the database)`);
	}
	const db = new DatabaseSync(file);
	try {
		db.exec('PRAGMA foreign_keys = ON');
		db.exec('BEGIN');
		let committed = false;
		try {
			db.prepare('DELETE FROM installed_nodes WHERE package = ?').run(record.packageName);
			db.prepare('DELETE FROM installed_packages WHERE packageName = ?').run(record.packageName);
			db.prepare(
				`INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ${NOW}, ${NOW})`,
			).run(record.packageName, record.installedVersion, record.authorName, record.authorEmail);
			const insertNode = db.prepare(
				'INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
			);
			for (const node of record.nodes)
				insertNode.run(node.name, node.type, node.latestVersion, record.packageName);
			db.exec('COMMIT');
			committed = true;
		} finally {
			if (!committed) db.exec('ROLLBACK');
		}
	} finally {
		db.close();
	}
}

/** Settings > Community nodes: `GET /rest/community-packages` (as the owner). */
export async function listCommunityPackages(
	session: RestSession,
): Promise<ListedCommunityPackage[]> {
	const answer = await session.call<{ data?: ListedCommunityPackage[] }>(
		'GET',
		'/rest/community-packages',
	);
	if (answer.status !== 200 || !Array.isArray(answer.body.data)) {
		throw unexpectedAnswer('GET /rest/community-packages', answer);
	}
	return answer.body.data;
}
