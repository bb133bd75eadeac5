/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type * as DependencyInjection from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, InstanceSettings } from 'n8n-core';

/**
 * n8n-core resolves its services through its OWN copy of @n8n/di (the top-level copy is a
 * different version with a different registry), so the harness must use that same copy.
 */
const requireFromCore = createRequire(require.resolve('n8n-core'));
export const Container = (requireFromCore('@n8n/di') as typeof DependencyInjection).Container;

interface N8nEnvironment {
	userFolder: string;
	binaryDataPath: string;
}

let environment: Promise<N8nEnvironment> | undefined;

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * One folder per test process. Jest's sandboxed `process` never sees the real exit event,
 * so folders left by finished processes are swept when the next one starts.
 */
function harnessRootFolder(): string {
	const prefix = 'n8n-nodes-letta-harness-';
	const root = join(tmpdir(), `${prefix}${process.pid}`);
	if (!existsSync(root)) {
		for (const entry of readdirSync(tmpdir())) {
			const pid = Number(entry.slice(prefix.length));
			if (entry.startsWith(prefix) && Number.isInteger(pid) && !processIsAlive(pid)) {
				rmSync(join(tmpdir(), entry), { recursive: true, force: true });
			}
		}
		mkdirSync(root, { recursive: true });
		process.once('exit', () => rmSync(root, { recursive: true, force: true }));
	}
	return root;
}

async function createEnvironment(): Promise<N8nEnvironment> {
	const userFolder = mkdtempSync(join(harnessRootFolder(), 'n8n-'));
	// InstanceSettings reads these when first resolved: never touch a developer's real ~/.n8n.
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENCRYPTION_KEY ??= randomBytes(24).toString('base64');
	// n8n logs every node error it reports; the run result already carries them.
	// Set N8N_LOG_LEVEL=debug to see n8n's own logging while debugging a test.
	process.env.N8N_LOG_LEVEL ??= 'silent';
	Container.get(InstanceSettings);

	const binaryDataPath = join(userFolder, 'binaryData');
	const binaryDataConfig = Container.get(BinaryDataConfig);
	binaryDataConfig.mode = 'filesystem';
	binaryDataConfig.localStoragePath = binaryDataPath;
	await Container.get(BinaryDataService).init();
	return { userFolder, binaryDataPath };
}

/**
 * Prepares the n8n-core services a node execution reaches through the DI container:
 * instance settings in a temporary user folder, and the binary data service in n8n's
 * default `filesystem` mode under that folder. Idempotent per module registry.
 */
export async function ensureN8nEnvironment(): Promise<N8nEnvironment> {
	environment ??= createEnvironment();
	return await environment;
}
