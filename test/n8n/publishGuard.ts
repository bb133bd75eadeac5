/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as path from 'node:path';

import { freePort } from './ports';
import { node24Bin, npmCacheDir, repoRoot } from './paths';
import { runCommand } from './processes';

/**
 * n8n requires community nodes to be published from CI with an npm provenance statement. The
 * guard that holds here is package.json's `publishConfig.provenance: true` (`.npmrc` turns
 * scripts off, so `prepublishOnly: n8n-node prerelease` never runs): npm refuses to publish
 * from a machine that cannot sign. This runs a real `npm publish` as a developer would, with
 * nothing that could leave the machine: the registry is a closed port on 127.0.0.1 with a
 * made-up token, and the environment holds no CI variable (so npm cannot find a CI to sign
 * with, and no OIDC token or transparency log is ever asked for).
 */
export async function publishOutsideCiProblems(): Promise<string[]> {
	const registry = `http://127.0.0.1:${await freePort()}/`;
	const result = await runCommand(
		'npm publish (outside CI)',
		'npm',
		[
			'publish',
			`--registry=${registry}`,
			`--${registry.replace(/^http:/, '')}:_authToken=not-a-token`,
			'--fetch-retries=0',
			'--loglevel=error',
		],
		{
			cwd: repoRoot,
			// only what npm needs: no CI, GITHUB_*, ACTIONS_* or npm_* variable
			env: {
				PATH: `${path.dirname(node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
				HOME: process.env.HOME ?? repoRoot,
				npm_config_cache: npmCacheDir,
				npm_config_update_notifier: 'false',
			},
			timeoutSeconds: 300,
		},
	);
	const output = `${result.stdout}\n${result.stderr}`;
	if (result.code === 0)
		return ['npm publish outside CI succeeded: nothing stops a publish without provenance'];
	if (!/provenance generation not supported/i.test(output)) {
		const code = /npm error code (\S+)/.exec(output)?.[1] ?? 'no code';
		return [
			`npm publish outside CI failed with ${code}, not for want of provenance: nothing stops a publish without it (package.json publishConfig.provenance)`,
		];
	}
	return [];
}
