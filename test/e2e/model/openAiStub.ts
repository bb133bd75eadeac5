/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling in plain Node */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { match, type CaseExpectation } from '../expectations';

/**
 * A scripted stand-in for OpenAI's Chat Completions API (`POST /v1/chat/completions`, with or
 * without `stream`) on 127.0.0.1, so that n8n's AI Agent runs with its OpenAI Chat Model node
 * and no real model. n8n 2.41's OpenAI Chat Model 1.3 uses the Responses API unless its
 * `responsesApiEnabled` is false; the workflows turn it off.
 *
 * Its script, the same for every case:
 * - a request without a tool result calls the first tool offered, with the JSON object that
 *   follows `TOOL ARGUMENTS:` in the last user message as its arguments;
 * - a request with a tool result answers `The Letta tool said: <that result>`, the content of
 *   the last tool message verbatim, so the AI Agent's output shows what the model was given.
 *
 * Every request body is recorded; cases match them (`model` in expectations.ts).
 */

export const TOOL_ARGUMENTS_MARKER = 'TOOL ARGUMENTS:';
export const FINAL_ANSWER_PREFIX = 'The Letta tool said: ';

/** The OpenAI credential the AI Agent workflows use (n8n finds it by id). */
export function openAiStubCredential(baseUrl: string) {
	return {
		id: 'openai-stub',
		name: 'OpenAI (local stub)',
		type: 'openAiApi',
		data: { apiKey: 'sk-e2e-stub-key', organizationId: '', url: baseUrl, header: false },
	};
}

interface ChatMessage {
	role?: string;
	content?: unknown;
}

interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages?: ChatMessage[];
	tools?: Array<{ function?: { name?: string } }>;
}

export interface RunningModelStub {
	/** The base URL for the credential, `http://127.0.0.1:<port>/v1`. */
	baseUrl: string;
	/** Bodies of the chat completion requests since the last reset, in order. */
	requests(): ChatRequest[];
	reset(): void;
	stop(): Promise<void>;
}

function text(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content.map((part: { text?: unknown }) => String(part?.text ?? '')).join('');
	return '';
}

/** What the script says to one request: a tool call or the final text. */
function reply(body: ChatRequest): {
	content: string | null;
	toolCall?: { name: string; arguments: string };
} {
	const messages = body.messages ?? [];
	const toolResult = [...messages].reverse().find((message) => message.role === 'tool');
	if (toolResult) return { content: `${FINAL_ANSWER_PREFIX}${text(toolResult.content)}` };
	const name = body.tools?.[0]?.function?.name;
	const prompt = text([...messages].reverse().find((message) => message.role === 'user')?.content);
	const at = prompt.indexOf(TOOL_ARGUMENTS_MARKER);
	if (!name || at < 0) return { content: 'No tool to call, or no arguments in the prompt.' };
	const args = prompt.slice(at + TOOL_ARGUMENTS_MARKER.length).trim();
	return { content: null, toolCall: { name, arguments: JSON.stringify(JSON.parse(args)) } };
}

function completion(body: ChatRequest, id: string) {
	const answer = reply(body);
	const toolCalls = answer.toolCall
		? [{ id: `call_${id}`, type: 'function', function: answer.toolCall }]
		: undefined;
	return {
		id: `chatcmpl-${id}`,
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'gpt-stub',
		message: {
			role: 'assistant',
			content: answer.content,
			...(toolCalls ? { tool_calls: toolCalls } : {}),
		},
		finish_reason: toolCalls ? 'tool_calls' : 'stop',
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

function send(response: http.ServerResponse, status: number, json: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(json));
}

export async function startModelStub(): Promise<RunningModelStub> {
	let received: ChatRequest[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = request.url ?? '';
			if (request.method === 'GET' && url.startsWith('/v1/models')) {
				send(response, 200, { object: 'list', data: [{ id: 'gpt-stub', object: 'model' }] });
				return;
			}
			if (request.method !== 'POST' || !url.startsWith('/v1/chat/completions')) {
				send(response, 404, { error: { message: `the stub serves no ${request.method} ${url}` } });
				return;
			}
			let body: ChatRequest;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
			} catch {
				send(response, 400, { error: { message: 'not JSON' } });
				return;
			}
			received.push(body);
			const made = completion(body, String(received.length));
			if (!body.stream) {
				send(response, 200, {
					id: made.id,
					object: 'chat.completion',
					created: made.created,
					model: made.model,
					choices: [{ index: 0, message: made.message, finish_reason: made.finish_reason }],
					usage: made.usage,
				});
				return;
			}
			const chunk = (delta: object, finish: string | null) =>
				`data: ${JSON.stringify({
					id: made.id,
					object: 'chat.completion.chunk',
					created: made.created,
					model: made.model,
					choices: [{ index: 0, delta, finish_reason: finish }],
				})}\n\n`;
			const { tool_calls: toolCalls, ...message } = made.message as {
				tool_calls?: Array<Record<string, unknown>>;
			} & Record<string, unknown>;
			response.writeHead(200, { 'content-type': 'text/event-stream' });
			response.write(
				chunk(
					{
						...message,
						...(toolCalls
							? { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }
							: {}),
					},
					null,
				),
			);
			response.write(chunk({}, made.finish_reason));
			response.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests: () => received,
		reset: () => {
			received = [];
		},
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** What differs between the requests the stub received and a case's `model` expectation. */
export function modelRequestProblems(
	stub: RunningModelStub,
	expected: CaseExpectation['model'],
): string[] {
	if (!expected) return [];
	const received = stub.requests();
	const problems =
		received.length === expected.count
			? []
			: [`expected ${expected.count} request(s) to the model stub, got ${received.length}`];
	(expected.bodies ?? []).forEach((body, index) => {
		const where = `model request ${index} body`;
		if (index >= received.length) problems.push(`${where}: no such request`);
		else problems.push(...match(received[index], body, where));
	});
	return problems;
}
