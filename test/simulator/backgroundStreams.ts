/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Background streaming (`streaming: true, background: true`), as Letta runs it with Redis
 * (letta/services/streaming_service.py create_agent_stream, redis_stream_manager.py):
 * the turn runs in its own task and writes every SSE chunk to the run's stream with a
 * seq_id; the client only reads that stream, so a client that goes away leaves the run
 * going, and a reader can resume after any seq_id. Where a lock is taken (conversation
 * endpoints, agent-direct mode), a request whose otids were seen before is answered with a
 * read-only stream of that run instead of a second run: before the lock, and again
 * ("second chance") when the lock holder has the same request token.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimulatorContext } from './context';
import { filterResponse, prepareTurn } from './conversationTurn';
import { HttpError, sleep } from './http';
import {
	REDIS_REQUIRED_FOR_BACKGROUND,
	STREAM_UNKNOWN_ERROR,
	detailError,
	refusalHttpError,
	refusalStreamError,
} from './lettaErrors';
import { RunStream } from './longRuns';
import type { SendEndpoint } from './messageRoutes';
import type { SendRequest } from './requestBody';
import type { HandlerResult, RequestContext } from './router';
import { writeStreamed } from './tokenStream';
import { scopeKey } from './store';
import type { AgentRecord, LettaMessage, RunRecord, Scope } from './types';

/** streaming_service.py derive_request_token: sha256 of the otids joined by `|`, 16 hex digits. */
export function deriveRequestToken(otids: string[]): string {
	if (otids.length === 0) return randomUUID();
	return createHash('sha256').update(otids.join('|')).digest('hex').slice(0, 16);
}

/** The otids of a request's messages, in order (an approval answer's own otid first). */
export function requestOtids(request: SendRequest): string[] {
	const { payload } = request;
	const otids =
		payload.kind === 'input'
			? payload.inputs.map((input) => input.otid)
			: [payload.otid, ...payload.followUps.map((input) => input.otid)];
	return otids.filter((otid): otid is string => typeof otid === 'string' && otid !== '');
}

/** LettaPing as pydantic dumps it (is_err is left out when not true). */
export function pingChunk(ctx: SimulatorContext, runId: string, seqId: number | null): string {
	const ping = {
		id: ctx.store.ids.prefixed('ping'),
		date: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
		name: null,
		message_type: 'ping',
		otid: null,
		sender_id: null,
		step_id: null,
		seq_id: seqId,
		run_id: runId,
	};
	return `data: ${JSON.stringify(ping)}\n\n`;
}

function dataChunk(value: unknown, event?: string): string {
	const prefix = event ? `event: ${event}\n` : '';
	return `${prefix}data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
}

/** Retry delays of the second-chance and otid lookups (0.25 * 2**attempt s). */
export const RECOVERY_POLL_DELAYS_MS = [250, 500, 1000];

export async function sendInBackground(
	ctx: SimulatorContext,
	rc: RequestContext,
	agent: AgentRecord,
	scope: Scope,
	endpoint: SendEndpoint,
	request: SendRequest,
): Promise<HandlerResult> {
	const state = ctx.longRuns;
	const { store } = ctx;
	// The conversation endpoints lock (the conversation, or the agent in agent-direct mode).
	const lockTaken = endpoint !== 'agent' && state.settings.redis;
	const otids = requestOtids(request);
	const token = deriveRequestToken(otids);
	const key = scopeKey(scope);
	if (lockTaken) {
		const recovered = state.otidRuns.get(token);
		if (recovered) return pipeRunStream(ctx, rc.res, recovered, 0, request.options.includePings);
		const holder = store.lockHolder(scope);
		if (holder !== null) {
			const holderToken = state.lockTokens.get(key);
			if (holderToken === token) {
				for (const delay of RECOVERY_POLL_DELAYS_MS) {
					const runId = state.otidRuns.get(token);
					if (runId) return pipeRunStream(ctx, rc.res, runId, 0, request.options.includePings);
					await sleep(delay);
				}
			}
			// enrich_conversation_busy_error: the holder's run id only once its mapping exists.
			const holderRun = holderToken === undefined ? undefined : state.otidRuns.get(holderToken);
			throw refusalHttpError({ kind: 'busy', runId: holderRun ?? null }, false);
		}
	}
	if (!state.settings.redis) {
		// The run exists before the Redis check fails; create_agent_stream marks it failed.
		const run = store.createRun(scope);
		run.background = true;
		store.failRun(run, null);
		run.stopReason = null;
		run.metadata = { error: REDIS_REQUIRED_FOR_BACKGROUND };
		throw detailError(503, REDIS_REQUIRED_FOR_BACKGROUND);
	}
	const prepared = prepareTurn(ctx, agent, scope, request.payload, request.options, {
		lock: lockTaken,
		requestSequence: rc.requestSequence,
	});
	if (prepared.kind === 'refused' && prepared.refusal.kind === 'busy')
		throw refusalHttpError(prepared.refusal, false);
	const run = prepared.kind === 'run' ? prepared.run : store.createRun(scope);
	run.background = true;
	if (lockTaken) state.lockTokens.set(key, token);
	const stream = new RunStream();
	state.streams.set(run.id, stream);
	const storeMapping = (): void => {
		state.otidRuns.set(token, run.id);
		for (const otid of otids) state.otidRuns.set(otid, run.id);
	};
	if (state.settings.runCreationDelayMs > 0)
		ctx.schedule(state.settings.runCreationDelayMs, storeMapping);
	else storeMapping();
	// prepend_initial_run_ping: the first chunk, stored in the run's stream like any other.
	if (request.options.includePings) stream.append(pingChunk(ctx, run.id, null));
	if (prepared.kind === 'refused') {
		store.failRun(run, 'error');
		stream.append(dataChunk({ message_type: 'stop_reason', stop_reason: 'error' }));
		const error = refusalStreamError(prepared.refusal, run.id);
		run.metadata = { error };
		stream.append(dataChunk(error, 'error'), true);
	} else {
		void produce(ctx, prepared.execute, run, stream, request);
	}
	return pipeRunStream(ctx, rc.res, run.id, 0, request.options.includePings);
}

/** create_background_stream_processor: the turn's chunks into the run's stream, then [DONE]. */
async function produce(
	ctx: SimulatorContext,
	execute: Extract<ReturnType<typeof prepareTurn>, { kind: 'run' }>['execute'],
	run: RunRecord,
	stream: RunStream,
	request: SendRequest,
): Promise<void> {
	const types = request.options.includeReturnMessageTypes;
	const written = new Set<string>();
	const write = (messages: LettaMessage[]): void => {
		for (const message of messages) {
			written.add(message.id);
			if (types === null || types.includes(message.message_type)) stream.append(dataChunk(message));
		}
	};
	try {
		const response = await execute(write);
		const filtered = filterResponse(response, types);
		await writeStreamed(
			filtered.messages.filter((message) => !written.has(message.id)),
			{ streamTokens: request.options.streamTokens, tokenDelayMs: ctx.settings.tokenDelayMs },
			(message) => stream.append(dataChunk(message)),
		);
		stream.append(dataChunk(filtered.stop_reason));
		stream.append(dataChunk(filtered.usage));
		stream.append(dataChunk('[DONE]'), true);
	} catch (error) {
		const detail = error instanceof HttpError ? JSON.stringify(error.body) : String(error);
		const payload = {
			message_type: 'error_message',
			run_id: run.id,
			error_type: 'internal_error',
			message: STREAM_UNKNOWN_ERROR,
			detail,
			seq_id: null,
		};
		if (run.status === 'running') {
			run.status = 'failed';
			run.stopReason = 'error';
			run.completedAt = new Date().toISOString();
			run.metadata = { error: payload };
		}
		stream.append(dataChunk({ message_type: 'stop_reason', stop_reason: 'error' }));
		stream.append(dataChunk(payload, 'error'), true);
	}
}

/**
 * redis_sse_stream_generator (+ add_keepalive_to_stream with pings): every stored chunk after
 * `startingAfter`, `"seq_id":null` and `"run_id":null` filled in, until the complete chunk.
 * A ping (carrying the last seq_id seen) goes out whenever the stream was silent for
 * `pingIntervalMs`. The client going away stops only this reader.
 */
export function pipeRunStream(
	ctx: SimulatorContext,
	res: ServerResponse,
	runId: string,
	startingAfter: number,
	includePings: boolean,
): 'handled' {
	let stream = ctx.longRuns.streams.get(runId);
	if (!stream) {
		// Redis has no chunks (expired or never written): Letta's reader polls on, pings only.
		stream = new RunStream();
		ctx.longRuns.streams.set(runId, stream);
	}
	const source = stream;
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	let cursor = startingAfter;
	let lastSeqId: number | null = null;
	let pingTimer: NodeJS.Timeout | null = null;
	let finished = false;
	const armPing = (): void => {
		if (!includePings || finished) return;
		if (pingTimer) clearTimeout(pingTimer);
		pingTimer = setTimeout(() => {
			res.write(pingChunk(ctx, runId, lastSeqId));
			armPing();
		}, ctx.settings.pingIntervalMs);
	};
	const finish = (): void => {
		finished = true;
		if (pingTimer) clearTimeout(pingTimer);
		unsubscribe();
	};
	const drain = (): void => {
		for (const chunk of source.chunks) {
			if (finished || chunk.seqId <= cursor) continue;
			cursor = chunk.seqId;
			const data = chunk.data
				.replace('"run_id":null', `"run_id":"${runId}"`)
				.replace('"seq_id":null', `"seq_id":${chunk.seqId}`);
			const seen = /"seq_id":(\d+)/.exec(data);
			if (seen) lastSeqId = Number(seen[1]);
			res.write(data);
			armPing();
			if (chunk.complete) {
				finish();
				res.end();
			}
		}
	};
	const unsubscribe = source.subscribe(drain);
	res.on('close', finish);
	armPing();
	drain();
	return 'handled';
}
