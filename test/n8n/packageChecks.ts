/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

import type { PackageJson } from './communityPackage';
import type { N8n } from './instance/N8n';
import type { ListedCommunityPackage } from './instance/communityPackages';
import type { N8nLogLine } from './instance/log';

/**
 * Checks that the package's nodes and credentials reach n8n: what the source has, what
 * package.json declares, and what a running n8n actually loaded from the installed tarball.
 */

export interface ExpectedTypes {
	/** Full node type names, e.g. `n8n-nodes-letta.lettaSendAgentMessage`. */
	nodes: string[];
	/** Credential type names, e.g. `lettaCommunityApi`. */
	credentials: string[];
}

/** `LettaSendAgentMessage` -> `lettaSendAgentMessage` (the naming convention of n8n nodes). */
function lowerFirst(name: string): string {
	return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * The type names n8n should register for a package.json `n8n` section, by n8n's naming
 * convention: the file `Foo.node.js` holds the class `Foo`, whose description name is `foo`;
 * `FooApi.credentials.js` holds `FooApi`, named `fooApi`.
 */
export function expectedTypes(packageJson: PackageJson): ExpectedTypes {
	const nodes = (packageJson.n8n?.nodes ?? []).map(
		(file) => `${packageJson.name}.${lowerFirst(path.basename(file).replace(/\.node\.js$/, ''))}`,
	);
	const credentials = (packageJson.n8n?.credentials ?? []).map((file) =>
		lowerFirst(path.basename(file).replace(/\.credentials\.js$/, '')),
	);
	return { nodes, credentials };
}

function walk(dir: string, suffix: string): string[] {
	if (!fs.existsSync(dir)) return [];
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...walk(full, suffix));
		else if (entry.name.endsWith(suffix)) found.push(full);
	}
	return found;
}

/**
 * Source against package.json: every `nodes/**\/*.node.ts` and `credentials/*.credentials.ts`
 * must be declared in the `n8n` section (as its dist/ .js), and every declared file must
 * come from such a source file.
 */
export function registrationProblems(root: string, packageJson: PackageJson): string[] {
	const problems: string[] = [];
	if (!packageJson.n8n) return ['package.json has no "n8n" section: n8n would load nothing'];
	if (packageJson.n8n.n8nNodesApiVersion !== 1) {
		problems.push(
			`package.json n8n.n8nNodesApiVersion is ${JSON.stringify(packageJson.n8n.n8nNodesApiVersion)}, n8n 2.x expects 1`,
		);
	}
	const kinds = [
		{ key: 'nodes', dir: 'nodes', suffix: '.node.ts' },
		{ key: 'credentials', dir: 'credentials', suffix: '.credentials.ts' },
	] as const;
	for (const { key, dir, suffix } of kinds) {
		const declared = new Set(packageJson.n8n[key] ?? []);
		const fromSource = walk(path.join(root, dir), suffix).map(
			(file) =>
				`dist/${path.relative(root, file).split(path.sep).join('/').replace(/\.ts$/, '.js')}`,
		);
		for (const file of fromSource) {
			if (!declared.has(file)) {
				problems.push(
					`${file.replace(/^dist\//, '').replace(/\.js$/, '.ts')} is not declared in package.json n8n.${key} (add "${file}")`,
				);
			}
		}
		for (const file of declared) {
			if (!fromSource.includes(file)) {
				problems.push(
					`package.json n8n.${key} declares "${file}", which no ${dir}/**/*${suffix} builds`,
				);
			}
		}
	}
	return problems;
}

/** Files the `n8n` section declares that are missing from an installed (or unpacked) package. */
export function missingDeclaredFiles(packageDir: string, packageJson: PackageJson): string[] {
	const declared = [...(packageJson.n8n?.nodes ?? []), ...(packageJson.n8n?.credentials ?? [])];
	return declared
		.filter((file) => !fs.existsSync(path.join(packageDir, file)))
		.map((file) => `${file} is declared in package.json but missing from the packed package`);
}

/** Lines that say n8n could not load a community package (or one of its nodes). */
export function packageLoadProblems(log: N8nLogLine[], packageName: string): string[] {
	const problems: string[] = [];
	for (const line of log) {
		const text = `${line.message} ${line.metadata ? JSON.stringify(line.metadata) : ''}`;
		const aboutPackage = text.includes(packageName);
		if (
			(aboutPackage &&
				/Failed to load package|Skipping package|failed to load|Error loading|could not be loaded|Cannot find module/i.test(
					text,
				)) ||
			/Unknown credential name|Unrecognized node type|Unrecognized credential type/i.test(text)
		) {
			problems.push(text.slice(0, 2000));
		}
	}
	return problems;
}

/**
 * What a running n8n says about the package: load errors in its log, and expected node and
 * credential types that it did not register (read from /types/*.json, as the editor does).
 */
export async function loadedTypeProblems(
	n8n: N8n,
	packageName: string,
	expected: ExpectedTypes,
): Promise<string[]> {
	const problems = packageLoadProblems(n8n.logLines(), packageName).map(
		(line) => `n8n logged: ${line}`,
	);
	const nodeTypes = new Set((await n8n.nodeTypes()).map((type) => type.name));
	const credentialTypes = new Set((await n8n.credentialTypes()).map((type) => type.name));
	for (const name of expected.nodes) {
		if (!nodeTypes.has(name)) problems.push(`n8n did not load the node type ${name}`);
	}
	for (const name of expected.credentials) {
		if (!credentialTypes.has(name)) problems.push(`n8n did not load the credential type ${name}`);
	}
	if (expected.nodes.length === 0) problems.push(`${packageName} declares no nodes`);
	return problems;
}

/**
 * What Settings > Community nodes shows against the package: listed once, at its version,
 * loaded (n8n's `failedLoading` is false once it knows the nodes), with every node it declares.
 */
export function communityListingProblems(
	listed: ListedCommunityPackage[],
	packageJson: PackageJson,
): string[] {
	const entries = listed.filter((entry) => entry.packageName === packageJson.name);
	if (entries.length !== 1) {
		return [
			`Settings > Community nodes lists ${packageJson.name} ${entries.length} times (listed: ${listed.map((entry) => entry.packageName).join(', ') || 'nothing'})`,
		];
	}
	const [entry] = entries;
	const problems: string[] = [];
	if (entry.installedVersion !== packageJson.version)
		problems.push(
			`listed at version ${entry.installedVersion}, package.json says ${packageJson.version}`,
		);
	if (entry.failedLoading !== false)
		problems.push(
			`listed with failedLoading ${String(entry.failedLoading)}: n8n did not load its nodes`,
		);
	const listedTypes = entry.installedNodes.map((node) => node.type).sort();
	const expectedNodes = expectedTypes(packageJson).nodes.sort();
	if (JSON.stringify(listedTypes) !== JSON.stringify(expectedNodes))
		problems.push(
			`listed with the nodes ${listedTypes.join(', ')}; expected ${expectedNodes.join(', ')}`,
		);
	return problems;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageNameOf(specifier: string): string {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Bare `require()`s in the installed package's own files that a user's n8n could not satisfy:
 * neither a Node builtin, nor installed beside the package (its dependencies), nor one of
 * n8n's own modules. Checked statically because this repository's node_modules sits above
 * the pinned n8n install, so n8n here would load a devDependency that a user's n8n lacks.
 */
export function unavailableImports(packageDir: string, n8nModulesDir: string): string[] {
	const builtins = new Set(builtinModules);
	const available = (name: string) =>
		builtins.has(name.replace(/^node:/, '')) ||
		fs.existsSync(path.join(packageDir, 'node_modules', name)) ||
		fs.existsSync(path.join(n8nModulesDir, name));
	const problems: string[] = [];
	const files = walk(packageDir, '.js').filter(
		(file) => !path.relative(packageDir, file).split(path.sep).includes('node_modules'),
	);
	for (const file of files) {
		for (const match of fs.readFileSync(file, 'utf8').matchAll(/require\((['"])([^'"]+)\1\)/g)) {
			const specifier = match[2];
			if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
			const name = packageNameOf(specifier);
			if (!available(name)) {
				problems.push(
					`${path.relative(packageDir, file)} requires "${specifier}", which neither the package nor n8n provides (a devDependency?)`,
				);
			}
		}
	}
	return problems;
}
