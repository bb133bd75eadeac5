/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * Headless Chromium for the hosted chat check: Debian's own package (installed with apt-get
 * when missing, as CI starts from a clean machine), driven by playwright-core, which never
 * downloads a browser of its own. Each launch gets a fresh profile folder, removed on close.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

import { runChecked } from '../../n8n';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Quiet, offline-friendly flags: no GPU, no QUIC, no first-run or background traffic. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function ensureChromium(): Promise<void> {
	if (fs.existsSync(CHROMIUM_PATH)) return;
	if (process.getuid?.() !== 0)
		throw new Error(
			`${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install chromium)`,
		);
	console.log('    installing Chromium from Debian (apt-get install chromium)...');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runChecked('apt-get update', 'apt-get', ['update', '-qq'], { env, timeoutSeconds: 600 });
	await runChecked('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'], {
		env,
		timeoutSeconds: 1200,
	});
	if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed no ${CHROMIUM_PATH}`);
}

export interface OpenBrowser {
	context: BrowserContext;
	close(): Promise<void>;
}

/** Chromium with a fresh profile (its --user-data-dir is a new temporary folder). */
export async function launchChromium(): Promise<OpenBrowser> {
	await ensureChromium();
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'letta-e2e-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 900, height: 700 },
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
