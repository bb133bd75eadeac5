import type { IDataObject } from 'n8n-workflow';

import type { LettaResponse } from '../api/messageSchemas';
import { contentText } from '../api/messages';
import { REQUIRES_APPROVAL } from '../api/runs';

/**
 * What n8n's chat (or a streaming webhook) is sent of one item's run, chunk by chunk: the
 * agent's reply text as it comes (token deltas or whole steps), nothing of its reasoning or
 * tool steps unless asked (then one short line per tool call), and a short line when it stops
 * for approval. Pure: it turns Letta's stream chunks into chat texts; the node sends them.
 * Without status lines the texts joined are exactly the output item's `reply`.
 */

/** Between two assistant messages, as `replyText` joins them. */
export const REPLY_SEPARATOR = '\n\n';

export function toolActivityLine(toolName: string): string {
	return `Using ${toolName}…`;
}

export function approvalWaitLine(toolNames: string[]): string {
	const what = toolNames.length ? toolNames.join(', ') : 'a tool call';
	return `The agent is waiting for a person to approve ${what}; it goes on once someone answers.`;
}

/** A tool call's name in a chunk: `tool_call.name`, else the names in `tool_calls` (a list or one delta). */
function toolNames(chunk: IDataObject): string[] {
	const calls = [
		chunk.tool_call,
		...(Array.isArray(chunk.tool_calls) ? chunk.tool_calls : [chunk.tool_calls]),
	];
	const names = calls
		.map((call) => (call && typeof call === 'object' ? (call as IDataObject).name : undefined))
		.filter((name): name is string => typeof name === 'string' && name.length > 0);
	return [...new Set(names)];
}

export interface ChatChunkOptions {
	/** A short status line for each tool the agent calls. */
	toolActivity: boolean;
}

export class ChatChunks {
	/** Something was sent: the next paragraph needs a separator. */
	private sent = false;
	/** The assistant message whose text is being sent (token chunks share its id). */
	private replyId: string | undefined;
	/** Tool call messages already announced (token deltas repeat the id). */
	private readonly announced = new Set<string>();
	private readonly approvalTools: string[] = [];

	constructor(private readonly options: ChatChunkOptions) {}

	/** The texts to send for one chunk of Letta's stream (a message, stop_reason, usage), in order. */
	next(chunk: IDataObject): string[] {
		switch (chunk.message_type) {
			case 'assistant_message':
				return this.replyText(chunk);
			case 'tool_call_message':
				return this.options.toolActivity ? this.toolLine(chunk) : [];
			case 'approval_request_message':
				for (const name of toolNames(chunk))
					if (!this.approvalTools.includes(name)) this.approvalTools.push(name);
				return [];
			case 'stop_reason':
				return chunk.stop_reason === REQUIRES_APPROVAL
					? [this.paragraph(approvalWaitLine(this.approvalTools))]
					: [];
			default:
				return [];
		}
	}

	/** A reply that came whole (a wait mode without a stream): the same texts, all at once. */
	whole(response: LettaResponse): string[] {
		return [...response.messages, response.stop_reason].flatMap((chunk) =>
			this.next(chunk as IDataObject),
		);
	}

	private replyText(chunk: IDataObject): string[] {
		const text = contentText(chunk.content);
		if (!text) return [];
		const id = typeof chunk.id === 'string' ? chunk.id : undefined;
		const continues = id !== undefined && id === this.replyId;
		this.replyId = id;
		if (continues) return [text];
		return [this.paragraph(text)];
	}

	private toolLine(chunk: IDataObject): string[] {
		const names = toolNames(chunk);
		const id = typeof chunk.id === 'string' ? chunk.id : names.join(',');
		if (!names.length || this.announced.has(id)) return [];
		this.announced.add(id);
		this.replyId = undefined;
		return names.map((name) => this.paragraph(toolActivityLine(name)));
	}

	/** A new paragraph: separated from what was sent before. */
	private paragraph(text: string): string {
		const separated = this.sent ? `${REPLY_SEPARATOR}${text}` : text;
		this.sent = true;
		return separated;
	}
}
