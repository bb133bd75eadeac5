/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nCli } from './cli';

/**
 * Credentials and workflows into an instance's database, and what is there already, through
 * n8n's own CLI (`import:credentials`, `import:workflow`, `list:workflow`): one process each.
 */

export interface CredentialToImport {
	id: string;
	name: string;
	type: string;
	/** Plain values: n8n encrypts them with N8N_ENCRYPTION_KEY on import. */
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

/** A fresh folder for the files handed to one import (deleted after it). */
function scratchDir(cli: N8nCli, name: string): string {
	const dir = path.join(cli.options.userFolder, 'tooling', `${name}-${Date.now()}`);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** `n8n import:credentials` (one process for all of them). */
export async function importCredentials(
	cli: N8nCli,
	credentials: CredentialToImport[],
): Promise<void> {
	if (credentials.length === 0) return;
	const file = path.join(scratchDir(cli, 'credentials'), 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
	try {
		await cli.runChecked(['import:credentials', `--input=${file}`]);
	} finally {
		// the file holds plain API keys
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
	}
}

/** `n8n import:workflow --separate` (one process for all of them); each needs an `id`. */
export async function importWorkflows(cli: N8nCli, workflows: WorkflowJson[]): Promise<void> {
	if (workflows.length === 0) return;
	const dir = scratchDir(cli, 'workflows');
	workflows.forEach((workflow, index) => {
		if (!workflow.id) throw new Error(`Workflow "${workflow.name}" has no id: give it one`);
		fs.writeFileSync(path.join(dir, `${index}.json`), JSON.stringify(workflow, null, 2));
	});
	try {
		await cli.runChecked(['import:workflow', '--separate', `--input=${dir}`]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Which of these workflow ids exist in the database (`n8n list:workflow --onlyId`). */
export async function existingWorkflowIds(cli: N8nCli, candidates: string[]): Promise<Set<string>> {
	const { log } = await cli.runChecked(['list:workflow', '--onlyId']);
	const wanted = new Set(candidates);
	return new Set(log.map((line) => line.message.trim()).filter((id) => wanted.has(id)));
}
