/**
 * A streaming webhook's answer, read as it arrives: a Chat Trigger with Response Mode
 * "Streaming" (the hosted chat's own endpoint) or a Webhook node 2.1 with Respond "Streaming".
 * n8n writes one JSON line per chunk a node sends (`{type: begin|item|end, content, metadata:
 * {nodeName, itemIndex, ...}}`, plus `{type: keepalive}` while a run is quiet) as it comes;
 * each line is timed on arrival.
 */
import { request } from 'undici';

import { sleep } from '../polling';
import { webhookUrl } from './browser';

export interface TimedChunk {
	/** Milliseconds from sending the request to the arrival of the chunk's line. */
	atMs: number;
	type?: string;
	content?: string;
	nodeName?: string;
	itemIndex?: number;
}

export interface StreamedAnswer {
	status: number;
	text: string;
	chunks: TimedChunk[];
	/** Lines that were not JSON. */
	unreadable: string[];
	endedAtMs: number;
}

/** One node's reply as it streamed: its item chunks and when the first and the end came. */
export interface StreamedReply {
	items: TimedChunk[];
	/** When the first item chunk arrived (ms after the request). */
	firstAtMs?: number;
	/** When the node's end chunk arrived (ms after the request). */
	endAtMs?: number;
	/** The item chunks joined. */
	text: string;
	/** What is wrong with the stream itself (no begin/end, too few chunks, buffered). */
	problems: string[];
}

function readChunk(line: string, atMs: number): TimedChunk | undefined {
	try {
		const value = JSON.parse(line) as {
			type?: string;
			content?: string;
			metadata?: { nodeName?: string; itemIndex?: number };
		};
		return {
			atMs,
			type: value.type,
			content: value.content,
			nodeName: value.metadata?.nodeName,
			itemIndex: value.metadata?.itemIndex,
		};
	} catch {
		return undefined;
	}
}

/** POSTs and reads the answer line by line as it arrives. */
async function postAndReadLines(url: string, body: unknown): Promise<StreamedAnswer> {
	const started = Date.now();
	const response = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		headersTimeout: 120_000,
		bodyTimeout: 120_000,
	});
	const answer: StreamedAnswer = {
		status: response.statusCode,
		text: '',
		chunks: [],
		unreadable: [],
		endedAtMs: 0,
	};
	let buffer = '';
	const take = (line: string, atMs: number) => {
		if (!line.trim()) return;
		const chunk = readChunk(line, atMs);
		if (chunk) answer.chunks.push(chunk);
		else answer.unreadable.push(line);
	};
	for await (const piece of response.body) {
		const atMs = Date.now() - started;
		const text = Buffer.from(piece as Uint8Array).toString('utf8');
		answer.text += text;
		buffer += text;
		let newline = buffer.indexOf('\n');
		while (newline >= 0) {
			take(buffer.slice(0, newline), atMs);
			buffer = buffer.slice(newline + 1);
			newline = buffer.indexOf('\n');
		}
	}
	answer.endedAtMs = Date.now() - started;
	take(buffer, answer.endedAtMs);
	return answer;
}

/**
 * POSTs to a published workflow's streaming webhook (`/webhook/<path>` of `baseUrl`) and reads
 * the answer as it arrives; waits out n8n's background activation (404 "not registered").
 */
export async function callStreamingWebhook(
	baseUrl: string,
	webhookPath: string,
	body: unknown,
): Promise<StreamedAnswer> {
	const url = webhookUrl(baseUrl, webhookPath);
	const until = Date.now() + 60_000;
	for (;;) {
		const answer = await postAndReadLines(url, body);
		if (answer.status !== 404 || !answer.text.includes('not registered') || Date.now() > until)
			return answer;
		await sleep(250);
	}
}

/**
 * `node`'s reply in a streamed answer: begin, at least `minItemChunks` item chunks, end, and
 * the first item chunk before the end chunk (streamed, not buffered: orders, not durations).
 */
export function streamedReply(
	answer: StreamedAnswer,
	node: string,
	minItemChunks: number,
): StreamedReply {
	const problems: string[] = [];
	if (answer.unreadable.length)
		problems.push(`lines that are not JSON: ${answer.unreadable.slice(0, 3).join(' | ')}`);
	const ofNode = answer.chunks.filter((chunk) => chunk.nodeName === node);
	const items = ofNode.filter((chunk) => chunk.type === 'item');
	const begin = ofNode.find((chunk) => chunk.type === 'begin');
	const end = ofNode.find((chunk) => chunk.type === 'end');
	if (!begin || !end) problems.push(`"${node}" sent no begin or no end chunk`);
	if (items.length < minItemChunks)
		problems.push(
			`expected the reply in at least ${minItemChunks} item chunks, got ${items.length}`,
		);
	const firstAtMs = items[0]?.atMs;
	const endAtMs = end?.atMs;
	if (firstAtMs === undefined || endAtMs === undefined || !(firstAtMs < endAtMs))
		problems.push(
			`the first item chunk (${String(firstAtMs)} ms) did not arrive before the end chunk (${String(endAtMs)} ms)`,
		);
	const text = items.map((chunk) => chunk.content ?? '').join('');
	return { items, firstAtMs, endAtMs, text, problems };
}
