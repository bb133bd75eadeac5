/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * Webhook cases whose workflow streams its answer (`webhook.stream`, expectations.ts): a
 * Chat Trigger with Response Mode "Streaming" (the hosted chat's own endpoint) or a Webhook
 * node 2.1 with Respond "Streaming". n8n writes one JSON line per chunk a node sends
 * (`{type: begin|item|end, content, metadata: {nodeName, itemIndex, ...}}`) as it comes; the
 * suite reads the lines as they arrive, timing each, then reads the execution back.
 */
import { request } from 'undici';

import { FINAL_EXECUTION_STATUSES, type ExecutionDetails, type N8n } from '../n8n';
import type { RequestExpectation, StreamExpectation, WebhookCall } from './expectations';

export interface StreamingCaseContext {
	n8n: N8n;
	requestProblems: (expectations: RequestExpectation[]) => Promise<string[]>;
	saveRun: (caseName: string, run: unknown) => void;
}

interface TimedChunk {
	/** Milliseconds from sending the request to the arrival of the chunk's line. */
	atMs: number;
	type?: string;
	content?: string;
	nodeName?: string;
	itemIndex?: number;
}

interface StreamedAnswer {
	status: number;
	text: string;
	chunks: TimedChunk[];
	/** Lines that were not JSON. */
	unreadable: string[];
	endedAtMs: number;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
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

/** Waits out n8n's background activation of published workflows (404 "not registered"). */
async function callStreamingWebhook(n8n: N8n, call: WebhookCall): Promise<StreamedAnswer> {
	const url = `${n8n.server.baseUrl}/webhook/${call.path.replace(/^\//, '')}`;
	const until = Date.now() + 60_000;
	for (;;) {
		const answer = await postAndReadLines(url, call.body ?? {});
		if (answer.status !== 404 || !answer.text.includes('not registered') || Date.now() > until)
			return answer;
		await sleep(250);
	}
}

/** The newest execution of the workflow, once it ended. */
async function endedExecution(n8n: N8n, workflowId: string): Promise<ExecutionDetails | undefined> {
	const until = Date.now() + 30_000;
	while (Date.now() < until) {
		const [newest] = await n8n.executions(workflowId);
		if (newest && FINAL_EXECUTION_STATUSES.includes(newest.status))
			return await n8n.execution(newest.id);
		await sleep(250);
	}
	return undefined;
}

function nodeReply(execution: ExecutionDetails, node: string, field: string): unknown {
	const tasks = execution.run.data.resultData.runData[node];
	const items = tasks?.[tasks.length - 1]?.data?.main ?? [];
	const first = items.find((output) => output && output.length > 0)?.[0];
	return first?.json?.[field];
}

/** Checks the streamed answer of one streaming webhook case; returns what does not match. */
export async function runStreamingWebhookCase(
	context: StreamingCaseContext,
	caseName: string,
	workflowId: string,
	call: WebhookCall & { stream: StreamExpectation },
): Promise<string[]> {
	const { stream } = call;
	const answer = await callStreamingWebhook(context.n8n, call);
	const problems: string[] = [];
	if (answer.status !== call.expect.status)
		problems.push(
			`expected HTTP ${call.expect.status}, got ${answer.status}: ${answer.text.slice(0, 500)}`,
		);
	if (answer.unreadable.length)
		problems.push(`lines that are not JSON: ${answer.unreadable.slice(0, 3).join(' | ')}`);
	const ofNode = answer.chunks.filter((chunk) => chunk.nodeName === stream.node);
	const items = ofNode.filter((chunk) => chunk.type === 'item');
	const begin = ofNode.find((chunk) => chunk.type === 'begin');
	const end = ofNode.find((chunk) => chunk.type === 'end');
	if (!begin || !end) problems.push(`"${stream.node}" sent no begin or no end chunk`);
	if (items.length < stream.minItemChunks)
		problems.push(
			`expected the reply in at least ${stream.minItemChunks} item chunks, got ${items.length}`,
		);
	const firstAt = items[0]?.atMs;
	const endAt = end?.atMs;
	// Streamed, not buffered: the first words came before the turn's end did.
	if (firstAt === undefined || endAt === undefined || !(firstAt < endAt))
		problems.push(
			`the first item chunk (${String(firstAt)} ms) did not arrive before the end chunk (${String(endAt)} ms)`,
		);
	const streamedText = items.map((chunk) => chunk.content ?? '').join('');
	const execution = await endedExecution(context.n8n, workflowId);
	if (!execution) {
		problems.push('no ended execution of the workflow within 30 s');
	} else {
		const field = stream.field ?? 'reply';
		const reply = nodeReply(execution, stream.node, field);
		if (reply !== streamedText)
			problems.push(
				`the joined item chunks ${JSON.stringify(streamedText)} differ from the node's ${field} ${JSON.stringify(reply)}`,
			);
		if (execution.status !== 'success') problems.push(`the execution ended as ${execution.status}`);
	}
	for (const secret of call.expect.nowhere ?? [])
		if (answer.text.includes(secret))
			problems.push(`the answer contains ${JSON.stringify(secret)}`);
	problems.push(...(await context.requestProblems(call.expect.requests ?? [])));
	context.saveRun(`${caseName}.stream`, { chunks: answer.chunks, run: execution?.run });
	console.log(
		`        (streamed ${items.length} item chunks: first after ${String(firstAt)} ms, end chunk after ${String(endAt)} ms, answer closed after ${answer.endedAtMs} ms; text ${JSON.stringify(streamedText)})`,
	);
	return problems;
}
