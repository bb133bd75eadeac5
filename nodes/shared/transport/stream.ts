import { sleep } from 'n8n-workflow';

import { SseParser, type SseEvent } from './sse';

/**
 * Reading a streamed answer (a Node readable that n8n's HTTP helper hands over with
 * `encoding: 'stream'`) as server-sent events, with two limits: no byte for `idleMs`
 * (a silently dead connection; Letta pings long before) and an absolute deadline.
 */

/** Why a stream stopped before its end. */
export type StreamStop = 'idle' | 'deadline' | 'dropped';

/** What a streamed body must offer: async iteration over its chunks, and a way to close it. */
export interface StreamBody {
	[Symbol.asyncIterator](): AsyncIterator<unknown>;
	destroy?(error?: Error): void;
}

export function isStreamBody(value: unknown): value is StreamBody {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function chunkText(chunk: unknown, decoder: InstanceType<typeof TextDecoder>): string {
	if (typeof chunk === 'string') return chunk;
	if (chunk instanceof Uint8Array) return decoder.decode(chunk, { stream: true });
	return String(chunk);
}

/** Reads a whole (small) streamed body as text: an error answer. */
export async function readAllText(body: StreamBody): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of { [Symbol.asyncIterator]: () => body[Symbol.asyncIterator]() })
		text += chunkText(chunk, decoder);
	return text + decoder.decode();
}

export interface StreamLimits {
	idleMs: number;
	/** Epoch ms after which reading stops. */
	deadline: number;
}

/**
 * Hands the body's events to `onEvent` (which returns true to stop) until the body ends.
 * Resolves how it stopped: `ended` (the body ended or `onEvent` stopped it), or why not:
 * idle, past the deadline, or dropped. One watchdog ticks beside the reader (no timer per chunk).
 */
export async function readEvents(
	body: StreamBody,
	limits: StreamLimits,
	onEvent: (event: SseEvent) => boolean,
): Promise<'ended' | StreamStop> {
	const parser = new SseParser();
	const decoder = new TextDecoder();
	let lastByteAt = Date.now();
	let stopped: StreamStop | undefined;
	let finished = false;
	const tickMs = Math.max(10, Math.min(1000, Math.floor(limits.idleMs / 4)));
	const watchdog = async (): Promise<void> => {
		while (!finished) {
			await sleep(Math.max(1, Math.min(tickMs, limits.deadline - Date.now())));
			if (finished) return;
			const now = Date.now();
			if (now >= limits.deadline) stopped = 'deadline';
			else if (now - lastByteAt >= limits.idleMs) stopped = 'idle';
			if (stopped) {
				body.destroy?.();
				return;
			}
		}
	};
	void watchdog();
	const feed = (events: SseEvent[]): boolean => events.some((event) => onEvent(event));
	try {
		for await (const chunk of { [Symbol.asyncIterator]: () => body[Symbol.asyncIterator]() }) {
			lastByteAt = Date.now();
			if (feed(parser.push(chunkText(chunk, decoder)))) return 'ended';
			if (stopped) return stopped;
		}
		if (stopped) return stopped;
		feed([...parser.push(decoder.decode()), ...parser.end()]);
		return 'ended';
	} catch {
		return stopped ?? 'dropped';
	} finally {
		finished = true;
		body.destroy?.();
	}
}
