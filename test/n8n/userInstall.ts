/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { readPackageJson, type InstalledPackage } from './communityPackage';
import { node24NpmEnv } from './ensureN8n';
import { repoRoot } from './paths';
import { runChecked } from './processes';

/**
 * The install a user does by hand today (the package is not on npm yet): the README's
 * commands, taken from the README itself and run as they are written, with `~` the user folder
 * of an n8n instance and `$TARBALL` the packed package. The block is the ```sh block after the
 * marker line below in README.md, so the README and what is tested cannot drift apart.
 */

export const README_INSTALL_MARKER = '<!-- install-from-tarball: run by test/e2e -->';

/** The commands of the README's install block (comments and blank lines dropped). */
export function readmeInstallCommands(readme: string): string[] {
	const at = readme.indexOf(README_INSTALL_MARKER);
	if (at < 0) throw new Error(`README.md has no "${README_INSTALL_MARKER}" line`);
	const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
	if (!block) throw new Error(`README.md has no \`\`\`sh block after "${README_INSTALL_MARKER}"`);
	const commands = block[1]
		.split('\n')
		.map((line) => line.replace(/\s+#.*$/, '').trim())
		.filter((line) => line.length > 0 && !line.startsWith('#'));
	if (commands.length === 0) throw new Error('the README install block has no command');
	return commands;
}

/**
 * Runs the README's install commands for the n8n whose user folder (N8N_USER_FOLDER, i.e.
 * the user's home, where n8n keeps `.n8n/`) is `userFolder`.
 */
export async function installAsReadmeSays(
	tarball: string,
	userFolder: string,
): Promise<InstalledPackage & { commands: string[] }> {
	const commands = readmeInstallCommands(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
	fs.mkdirSync(userFolder, { recursive: true });
	await runChecked(
		'the README install commands',
		'bash',
		['-euo', 'pipefail', '-c', commands.join('\n')],
		{
			cwd: userFolder,
			env: { ...node24NpmEnv(), HOME: userFolder, TARBALL: tarball },
			timeoutSeconds: 300,
		},
	);
	const { name } = readPackageJson(repoRoot);
	const directory = path.join(userFolder, '.n8n', 'nodes', 'node_modules', name);
	if (!fs.existsSync(path.join(directory, 'package.json')))
		throw new Error(`the README install commands left no package in ${directory}`);
	const packageJson = readPackageJson(directory);
	return { name, version: packageJson.version, directory, packageJson, commands };
}
