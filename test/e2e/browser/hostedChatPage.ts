/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * The Chat Trigger's hosted chat page (mode "Hosted Chat", public) in headless Chromium: a
 * person types a message and the agent's answer streams onto the page. The page loads n8n's
 * chat widget (@n8n/chat) from a CDN by an unversioned URL; nothing leaves this machine, so
 * those requests are answered from the widget's npm package, packed once into .cache/e2e/
 * (N8N_CHAT_VERSION: the version that URL served when this was written), and every other
 * request off 127.0.0.1 is refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { cacheDir, node24NpmEnv, runChecked } from '../../n8n';
import { launchChromium } from './chromium';

export const N8N_CHAT_VERSION = '1.37.0';
const CDN = 'https://cdn.jsdelivr.net/npm/';

/** What the widget's files are served as (and the only files kept). */
const CONTENT_TYPES: Record<string, string> = {
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
};

/** The widget's dist/ folder, from `npm pack @n8n/chat@<version>` (kept in .cache/e2e/). */
async function chatWidgetDist(): Promise<string> {
	const dir = path.join(cacheDir, 'e2e', `n8n-chat-${N8N_CHAT_VERSION}`);
	const dist = path.join(dir, 'package', 'dist');
	if (fs.existsSync(path.join(dist, 'chat.bundle.es.js'))) return dist;
	fs.mkdirSync(dir, { recursive: true });
	await runChecked(
		'npm pack @n8n/chat',
		'npm',
		['pack', `@n8n/chat@${N8N_CHAT_VERSION}`, '--pack-destination', dir, '--loglevel=error'],
		{ cwd: dir, env: node24NpmEnv(), timeoutSeconds: 300 },
	);
	const tarball = path.join(dir, `n8n-chat-${N8N_CHAT_VERSION}.tgz`);
	await runChecked('tar', 'tar', ['-xzf', tarball, '-C', dir], { timeoutSeconds: 120 });
	// Only what a page loads stays: its .d.ts files would be linted with the repository.
	for (const entry of fs.readdirSync(path.join(dir, 'package'), { recursive: true })) {
		const file = path.join(dir, 'package', String(entry));
		if (fs.statSync(file).isFile() && !(path.extname(file) in CONTENT_TYPES)) fs.rmSync(file);
	}
	fs.rmSync(tarball);
	return dist;
}

/** The bot's messages; its typing indicator (shown below the answer while it streams) is one too. */
const BOT_MESSAGE = '.chat-message-from-bot:not(.chat-message-typing)';

/** In the page: every text the newest bot message takes, as the page changes it. */
const RECORD_BOT_TEXTS = `
window.__botTexts = [];
new MutationObserver(() => {
	const bots = document.querySelectorAll(${JSON.stringify(BOT_MESSAGE)});
	const last = bots[bots.length - 1];
	const text = last ? last.innerText.trim() : '';
	const seen = window.__botTexts;
	if (text && seen[seen.length - 1] !== text) seen.push(text);
}).observe(document, { subtree: true, childList: true, characterData: true });
`;

export interface HostedChatResult {
	problems: string[];
	/** The bot's answer as the page showed it at the end. */
	shown: string;
	/** Distinct texts of the answer seen while it grew (streaming shows several). */
	partials: string[];
	screenshot: string;
}

/**
 * Opens `pageUrl`, sends `message`, and waits (up to 60 s) for the last bot message to show
 * `reply`, sampling it as it grows; takes a screenshot into a temporary folder.
 */
export async function checkHostedChat(
	pageUrl: string,
	message: string,
	reply: string,
): Promise<HostedChatResult> {
	const dist = await chatWidgetDist();
	const browser = await launchChromium();
	const problems: string[] = [];
	const refused: string[] = [];
	const partials: string[] = [];
	let shown = '';
	const screenshot = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'letta-e2e-chat-')),
		'hosted-chat.png',
	);
	try {
		const { context } = browser;
		await context.route('**/*', async (route) => {
			const url = new URL(route.request().url());
			if (url.hostname === '127.0.0.1') return await route.continue();
			const href = url.href;
			const widget = `${CDN}@n8n/chat/dist/`;
			if (href.startsWith(widget)) {
				const file = path.join(
					dist,
					path.normalize(url.pathname.slice('/npm/@n8n/chat/dist/'.length)),
				);
				if (file.startsWith(dist) && fs.existsSync(file)) {
					return await route.fulfill({
						status: 200,
						contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
						body: fs.readFileSync(file),
					});
				}
			}
			// normalize.css only evens out browser defaults: an empty sheet does here.
			if (href.startsWith(CDN) && href.endsWith('.css'))
				return await route.fulfill({ status: 200, contentType: 'text/css', body: '' });
			refused.push(href);
			return await route.abort();
		});
		// Every text the newest bot message takes, as the page changes it (seen from inside the page).
		await context.addInitScript({ content: RECORD_BOT_TEXTS });
		const page = await context.newPage();
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await page.goto(pageUrl, { waitUntil: 'load', timeout: 60_000 });
		const input = page.locator('textarea').first();
		await input.waitFor({ state: 'visible', timeout: 30_000 });
		const botMessages = page.locator(BOT_MESSAGE);
		const before = await botMessages.count();
		await input.fill(message);
		await input.press('Enter');
		const textsBefore = ((await page.evaluate('window.__botTexts')) as string[]).length;
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			const count = await botMessages.count();
			if (count > before) shown = (await botMessages.nth(count - 1).innerText()).trim();
			if (shown.includes(reply)) break;
			await page.waitForTimeout(100);
		}
		const texts = (await page.evaluate('window.__botTexts')) as string[];
		partials.push(...texts.slice(textsBefore));
		await page.screenshot({ path: screenshot, fullPage: true });
		if (!shown.includes(reply))
			problems.push(
				`the page did not show the reply ${JSON.stringify(reply)}; it showed ${JSON.stringify(shown)}`,
			);
		// Streamed onto the page: the answer grew through shorter texts that start it.
		const growing = partials.slice(0, -1).filter((text) => reply.startsWith(text));
		if (growing.length < 1)
			problems.push(
				`the answer appeared at once, not as it was written (texts seen: ${JSON.stringify(partials)})`,
			);
		if (pageErrors.length) problems.push(`errors on the page: ${pageErrors.join(' | ')}`);
	} finally {
		await browser.close();
	}
	if (refused.length)
		console.log(
			`        (the page asked for, and was refused: ${[...new Set(refused)].join(', ')})`,
		);
	return { problems, shown, partials, screenshot };
}
