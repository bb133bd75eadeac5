import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';
import { z } from 'zod';

import { errorDetail } from '../transport/errorBody';
import type { LettaRequest } from '../transport/request';
import type { SseEvent } from '../transport/sse';
import {
	conversationStreamBodySchema,
	lettaMessageSchema,
	type LettaMessage,
	type LettaResponse,
} from './messageSchemas';
import type { MessageScope } from './messages';
import { describeZodError } from './validate';

/**
 * Letta's background streams (see the notes' "Streaming" and "Safe retries by otid"): the body
 * flags, the send and resume paths, what a chunk is, and how chunks add up to a LettaResponse.
 */

/** Streamed, run in the background (resumable, recovered by otid), kept alive by pings. */
export const BACKGROUND_STREAM_FLAGS = {
	streaming: true,
	background: true,
	include_pings: true,
} as const;

/**
 * Asks for the reply token by token. Letta ignores it for a model that cannot stream tokens
 * (streaming_service.py `_is_token_streaming_compatible`) and streams whole steps instead.
 */
export const TOKEN_STREAM_FLAG = { stream_tokens: true } as const;

/** Through the conversation endpoints only: they lock and recover by otid (agent-direct for the default). */
function conversationPath(scope: MessageScope): string {
	return `/v1/conversations/${scope.conversationId || 'default'}`;
}

/** The POST that starts (or, sent again with the same otids, recovers) a background stream. */
export function backgroundStreamRequest(
	scope: MessageScope,
	fields: IDataObject,
	timeoutMs: number,
	streamTokens = false,
): { request: LettaRequest } | { problem: string } {
	const body: IDataObject = {
		...fields,
		...BACKGROUND_STREAM_FLAGS,
		...(streamTokens ? TOKEN_STREAM_FLAG : {}),
		...(scope.conversationId ? {} : { agent_id: scope.agentId }),
	};
	const checked = conversationStreamBodySchema.safeParse(body);
	if (!checked.success) return { problem: describeZodError(checked.error) };
	return {
		request: { method: 'POST', path: `${conversationPath(scope)}/messages`, body, timeoutMs },
	};
}

/** Where a dropped stream picks up: after `startingAfter`, by run id, else by the request's otid. */
export function resumeStreamRequest(
	scope: MessageScope,
	cursor: { runId?: string; otid?: string; startingAfter: number },
	timeoutMs: number,
): LettaRequest {
	const common = { starting_after: cursor.startingAfter, include_pings: true };
	if (cursor.runId) {
		return {
			method: 'POST',
			path: `/v1/runs/${encodeURIComponent(cursor.runId)}/stream`,
			body: common,
			timeoutMs,
		};
	}
	return {
		method: 'POST',
		path: `${conversationPath(scope)}/stream`,
		body: {
			...common,
			...(scope.conversationId ? {} : { agent_id: scope.agentId }),
			...(cursor.otid ? { otid: cursor.otid } : {}),
		},
		timeoutMs,
	};
}

/**
 * A server without background streaming (self-hosted without Redis) answers 503 "Background
 * streaming requires Redis…" (streaming_service.create_agent_stream; the resume routes say
 * the same without the code word). Not worth retrying: it will not change.
 */
export function isBackgroundStreamingUnavailable(response: IN8nHttpFullResponse): boolean {
	return (
		response.statusCode === 503 &&
		/Background streaming requires Redis/i.test(errorDetail(response.body))
	);
}

/** A chunk: a message (with `seq_id` once stored), a ping, stop_reason, usage or error. */
const chunkSchema = lettaMessageSchema.extend({ seq_id: z.number().nullish() });

/** The text fields token chunks of one message carry piece by piece (Letta's streaming interfaces). */
const TOKEN_TEXT_FIELDS: Record<string, string> = {
	assistant_message: 'content',
	reasoning_message: 'reasoning',
};

/** A chunk of a message already begun (same id and type): its text joins the message's text. */
function joinTokenChunk(messages: LettaMessage[], chunk: IDataObject): boolean {
	const field = TOKEN_TEXT_FIELDS[String(chunk.message_type)];
	if (!field || typeof chunk.id !== 'string' || typeof chunk[field] !== 'string') return false;
	const last = messages[messages.length - 1] as IDataObject | undefined;
	if (!last || last.id !== chunk.id || last.message_type !== chunk.message_type) return false;
	if (typeof last[field] !== 'string') return false;
	last[field] = `${last[field] as string}${chunk[field] as string}`;
	return true;
}

/** What a stream tells, chunk by chunk; a resumed or recovered stream adds to it without repeats. */
export class StreamProgress {
	readonly messages: LettaMessage[] = [];
	runId?: string;
	/** The last `seq_id` seen: where a resume starts after. */
	lastSeqId = 0;
	stopReason?: IDataObject;
	usage?: IDataObject;
	/** Letta's `[DONE]`: the stream is complete. */
	done = false;
	/** An `event: error` payload (a background stream then ends without `[DONE]`). */
	error?: IDataObject;
	/** Chunks that were not JSON objects with a `message_type` (ignored). */
	skipped = 0;
	private readonly seen = new Set<number>();

	/** `onChunk` hears each new chunk (a message, stop_reason, usage), once, as it comes. */
	constructor(private readonly onChunk?: (chunk: IDataObject) => void) {}

	/** Adds one event; returns whether the stream is over (done, or failed). */
	add(event: SseEvent): boolean {
		if (event.data === '[DONE]') {
			this.done = true;
			return true;
		}
		let value: unknown;
		try {
			value = JSON.parse(event.data);
		} catch {
			this.skipped += 1;
			return false;
		}
		const parsed = chunkSchema.safeParse(value);
		if (!parsed.success) {
			this.skipped += 1;
			return false;
		}
		const chunk = parsed.data;
		if (typeof chunk.seq_id === 'number') {
			// A recovered stream starts again from the first chunk: skip what we have.
			if (this.seen.has(chunk.seq_id)) return false;
			this.seen.add(chunk.seq_id);
			this.lastSeqId = Math.max(this.lastSeqId, chunk.seq_id);
		}
		if (chunk.run_id) this.runId = chunk.run_id;
		if (event.event === 'error' || chunk.message_type === 'error_message') {
			this.error = chunk as IDataObject;
			return true;
		}
		if (chunk.message_type === 'ping') return false;
		const message = { ...chunk } as IDataObject;
		delete message.seq_id;
		this.onChunk?.({ ...message });
		if (message.message_type === 'stop_reason') this.stopReason = message;
		else if (message.message_type === 'usage_statistics') this.usage = message;
		// Token chunks (stream_tokens) of one message add up to that message, as a plain reply has it.
		else if (!joinTokenChunk(this.messages, message)) this.messages.push(message as LettaMessage);
		return false;
	}

	/** The reply as a plain request would have answered it (undefined until a stop reason came). */
	response(): LettaResponse | undefined {
		if (!this.stopReason) return undefined;
		const { stop_reason } = this.stopReason;
		return {
			messages: this.messages,
			stop_reason: { ...this.stopReason, stop_reason: String(stop_reason) },
			...(this.usage ? { usage: this.usage } : {}),
		};
	}
}

/** The error text of an `event: error` payload. */
export function streamErrorText(error: IDataObject): string {
	const parts = [error.message, error.detail].filter(
		(part): part is string => typeof part === 'string' && part.length > 0,
	);
	return parts.join(': ') || 'An unknown error occurred';
}
