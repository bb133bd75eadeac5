/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark tooling runs in plain Node, outside n8n */
/**
 * A stand-in for Letta's agent endpoint with a fixed latency, run as its own process
 * (`tsx bench/n8n/stubAgents.ts --key <api key>`; prints `{"url": …}` when ready):
 * `POST /v1/agents/<id>/messages` answers after the latency with one assistant message that
 * echoes the text, in the shape Letta answers. It counts what a benchmark must know and the
 * real server would not tell: requests in flight per agent (the most ever seen at once) and
 * per process, when the first request came and the last answer went, requests without the key.
 * Control: `POST /__reset {"latencyMs": n}`, `GET /__stats`.
 * Any agent id is an agent: the benchmark makes as many as its case needs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

export interface StubStats {
	requests: number;
	/** Requests whose Authorization was not `Bearer <key>`. */
	unauthorized: number;
	maxInFlightPerAgent: number;
	maxInFlight: number;
	/** Epoch ms; null before the first request. */
	firstRequestAt: number | null;
	lastAnswerAt: number | null;
	/**
	 * Median ms from an agent's answer to its next message, when nothing else was in flight on
	 * it: the client's own time per message (reading the answer, sending the next), which the
	 * physical limit does not include. Null when no agent got one message after another.
	 */
	medianGapMs: number | null;
}

const MESSAGES_PATH = /^\/v1\/agents\/([^/]+)\/messages\/?$/;

const { values } = parseArgs({ options: { key: { type: 'string' } }, strict: true });
const expectedAuthorization = `Bearer ${values.key ?? ''}`;

let latencyMs = 0;
let stats: StubStats;
const inFlightByAgent = new Map<string, number>();
const lastAnswerByAgent = new Map<string, number>();
let gapsMs: number[] = [];
let inFlight = 0;
let sequence = 0;

function reset(latency: number): void {
	latencyMs = latency;
	stats = {
		requests: 0,
		unauthorized: 0,
		maxInFlightPerAgent: 0,
		maxInFlight: 0,
		firstRequestAt: null,
		lastAnswerAt: null,
		medianGapMs: null,
	};
	inFlightByAgent.clear();
	lastAnswerByAgent.clear();
	gapsMs = [];
	inFlight = 0;
}
reset(0);

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	response.end(text);
}

/** The text of the request's first user message (string content, as both clients send it). */
function heardText(body: string): string {
	const parsed = JSON.parse(body) as { messages?: Array<{ content?: unknown }> };
	const content = parsed.messages?.[0]?.content;
	return typeof content === 'string' ? content : '';
}

/** One Letta answer: an assistant message echoing the text, the stop reason, the usage. */
function lettaAnswer(agentId: string, text: string) {
	sequence += 1;
	const runId = `run-${String(sequence).padStart(8, '0')}`;
	const date = new Date().toISOString();
	return {
		messages: [
			{
				id: `message-${String(sequence).padStart(8, '0')}`,
				date,
				message_type: 'assistant_message',
				content: `heard: ${text}`,
				run_id: runId,
				agent_id: agentId,
			},
		],
		stop_reason: { message_type: 'stop_reason', stop_reason: 'end_turn' },
		usage: {
			message_type: 'usage_statistics',
			completion_tokens: 10,
			prompt_tokens: 100,
			total_tokens: 110,
			step_count: 1,
		},
	};
}

async function answerMessage(
	agentId: string,
	request: IncomingMessage,
	response: ServerResponse,
): Promise<void> {
	stats.requests += 1;
	stats.firstRequestAt ??= Date.now();
	const previousAnswer = lastAnswerByAgent.get(agentId);
	if (previousAnswer !== undefined && !inFlightByAgent.get(agentId)) {
		gapsMs.push(Date.now() - previousAnswer);
	}
	const agentInFlight = (inFlightByAgent.get(agentId) ?? 0) + 1;
	inFlightByAgent.set(agentId, agentInFlight);
	inFlight += 1;
	stats.maxInFlightPerAgent = Math.max(stats.maxInFlightPerAgent, agentInFlight);
	stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
	try {
		if (request.headers.authorization !== expectedAuthorization) {
			stats.unauthorized += 1;
			sendJson(response, 401, { detail: 'Invalid API key' });
			return;
		}
		const text = heardText(await readBody(request));
		if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
		sendJson(response, 200, lettaAnswer(agentId, text));
	} finally {
		inFlightByAgent.set(agentId, (inFlightByAgent.get(agentId) ?? 1) - 1);
		inFlight -= 1;
		stats.lastAnswerAt = Date.now();
		lastAnswerByAgent.set(agentId, stats.lastAnswerAt);
	}
}

const server = createServer((request, response) => {
	const url = new URL(request.url ?? '/', 'http://stub');
	const agentMatch = MESSAGES_PATH.exec(url.pathname);
	const handle = async () => {
		if (request.method === 'POST' && agentMatch) {
			await answerMessage(decodeURIComponent(agentMatch[1]), request, response);
		} else if (request.method === 'POST' && url.pathname === '/__reset') {
			const body = JSON.parse((await readBody(request)) || '{}') as { latencyMs?: number };
			reset(body.latencyMs ?? 0);
			sendJson(response, 200, { latencyMs });
		} else if (request.method === 'GET' && url.pathname === '/__stats') {
			const sorted = [...gapsMs].sort((a, b) => a - b);
			stats.medianGapMs = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
			sendJson(response, 200, stats);
		} else {
			sendJson(response, 404, { detail: `${request.method} ${url.pathname}: not in this stub` });
		}
	};
	handle().catch((error: unknown) => {
		if (!response.headersSent) sendJson(response, 500, { detail: String(error) });
	});
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
