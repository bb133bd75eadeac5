/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { cacheDir } from './paths';

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Runs `work` while holding `.cache/<name>.lock` (a folder holding the owner's pid), so that
 * the demo and the e2e suite, started at the same time, do not install n8n twice or build
 * dist/ under each other's feet. A lock left by a dead process is taken over.
 */
export async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
	const lockDir = path.join(cacheDir, `${name}.lock`);
	fs.mkdirSync(cacheDir, { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch {
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				// being created right now
			}
			let ageMs = 0;
			try {
				ageMs = Date.now() - fs.statSync(lockDir).mtimeMs;
			} catch {
				continue; // released meanwhile
			}
			const abandoned = Number.isInteger(owner) && owner > 0 ? !pidAlive(owner) : ageMs > 10_000;
			if (abandoned) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}
