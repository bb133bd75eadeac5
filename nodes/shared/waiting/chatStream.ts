import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { LettaResponse } from '../api/messageSchemas';
import { runsAsTool } from '../items/executionNode';
import { ChatChunks } from './chatChunks';

/**
 * One item's reply streamed to n8n's chat or streaming webhook, the way n8n's own AI Agent
 * does it: `sendChunk('begin')`, an `item` chunk per text, `sendChunk('end')`, per item.
 */
export interface ChatStream {
	/** A chunk of Letta's stream, as it arrives. */
	onChunk(chunk: IDataObject): void;
	/** Whether any chunk of Letta's stream arrived (else the reply is sent whole). */
	readonly heard: boolean;
	/** A reply that came without a stream (another wait mode, a fallback): sent at once. */
	whole(response: LettaResponse): void;
	end(): void;
}

export interface ChatStreamOptions {
	/** The node's Stream Response option (on unless turned off). */
	streamResponse?: boolean;
	streamToolActivity?: boolean;
}

/**
 * Undefined when the execution does not stream (no chat, schedule, ...), the option is off, or
 * the node runs as an AI Agent's tool (its reply is for the model, not the person chatting).
 */
export function openChatStream(
	context: IExecuteFunctions,
	itemIndex: number,
	options: ChatStreamOptions,
): ChatStream | undefined {
	if (options.streamResponse === false || runsAsTool(context)) return;
	// Older n8n versions have no streaming: the method is missing there.
	if (typeof context.isStreaming !== 'function') return;
	if (!context.isStreaming()) return;
	const chunks = new ChatChunks({ toolActivity: options.streamToolActivity === true });
	const send = (texts: string[]) => {
		for (const text of texts) context.sendChunk('item', itemIndex, text);
	};
	let heard = false;
	let ended = false;
	context.sendChunk('begin', itemIndex);
	return {
		onChunk(chunk) {
			heard = true;
			send(chunks.next(chunk));
		},
		get heard() {
			return heard;
		},
		whole(response) {
			send(chunks.whole(response));
		},
		end() {
			if (ended) return;
			ended = true;
			context.sendChunk('end', itemIndex);
		},
	};
}
