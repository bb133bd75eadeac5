/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Letta's streaming answer: `data: <json>` events for each message, then the stop_reason
 * and usage_statistics chunks, then `data: [DONE]`. With include_pings a ping opens the
 * stream and repeats while the agent "thinks"; a failure, and an input the agent loop
 * refuses (a pending approval, a wrong approval answer), is sent as `event: error`.
 */
import type { ServerResponse } from 'node:http';
import type { SimulatorContext } from './context';
import { filterResponse, type PreparedTurn } from './conversationTurn';
import { HttpError } from './http';
import { refusalStreamError, STREAM_UNKNOWN_ERROR } from './lettaErrors';
import { writeStreamed } from './tokenStream';
import type { MessageType, Scope } from './types';

function writeEvent(res: ServerResponse, data: unknown, event?: string): void {
	const prefix = event ? `event: ${event}\n` : '';
	res.write(`${prefix}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

function pingEvent(ctx: SimulatorContext, runId: string) {
	return {
		message_type: 'ping',
		id: ctx.store.ids.prefixed('ping'),
		date: new Date().toISOString(),
		run_id: runId,
	};
}

/** How a streamed run ends on an error: stop_reason error, `event: error`, [DONE] (streaming_service.py). */
function writeStreamError(res: ServerResponse, error: unknown): void {
	writeEvent(res, { message_type: 'stop_reason', stop_reason: 'error' });
	writeEvent(res, error, 'error');
	writeEvent(res, '[DONE]');
}

export async function streamTurn(
	ctx: SimulatorContext,
	res: ServerResponse,
	prepared: PreparedTurn,
	options: {
		includePings: boolean;
		includeReturnMessageTypes: MessageType[] | null;
		streamTokens: boolean;
	},
	scope: Scope,
): Promise<void> {
	// A refused turn still streams: Letta's run exists before its agent loop refuses the input.
	const run = prepared.kind === 'run' ? prepared.run : ctx.store.createRun(scope);
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	// prepend_initial_run_ping: the run id reaches the client before the first chunk.
	if (options.includePings) writeEvent(res, pingEvent(ctx, run.id));
	if (prepared.kind === 'refused') {
		ctx.store.failRun(run, 'error');
		writeStreamError(res, refusalStreamError(prepared.refusal, run.id));
		res.end();
		return;
	}
	const pingTimer = options.includePings
		? setInterval(() => writeEvent(res, pingEvent(ctx, run.id)), ctx.settings.pingIntervalMs)
		: null;
	try {
		// A paced (long) turn's steps go out as they happen; the rest when the turn ends.
		const written = new Set<string>();
		const types = options.includeReturnMessageTypes;
		const response = await prepared.execute((messages) => {
			for (const message of messages) {
				written.add(message.id);
				if (types === null || types.includes(message.message_type)) writeEvent(res, message);
			}
		});
		const filtered = filterResponse(response, types);
		await writeStreamed(
			filtered.messages.filter((message) => !written.has(message.id)),
			{ streamTokens: options.streamTokens, tokenDelayMs: ctx.settings.tokenDelayMs },
			(message) => writeEvent(res, message),
		);
		writeEvent(res, filtered.stop_reason);
		writeEvent(res, filtered.usage);
		writeEvent(res, '[DONE]');
	} catch (error) {
		const detail = error instanceof HttpError ? JSON.stringify(error.body) : String(error);
		writeStreamError(res, {
			message_type: 'error_message',
			run_id: run.id,
			error_type: 'internal_error',
			message: STREAM_UNKNOWN_ERROR,
			detail,
			seq_id: null,
		});
	} finally {
		if (pingTimer) clearInterval(pingTimer);
		res.end();
	}
}
