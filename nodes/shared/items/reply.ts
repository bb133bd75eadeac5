import type { IDataObject } from 'n8n-workflow';

import { buildAnswerTo, type AnswerTo } from '../approvals/answer';
import {
	expressionSafeToolCall,
	extractPendingApprovals,
	type PendingToolCall,
} from '../approvals/toolCalls';
import type {
	ContentPart,
	LettaMessage,
	LettaResponse,
	MessageCreate,
} from '../api/messageSchemas';

export const REQUIRES_APPROVAL = 'requires_approval';

export interface TextMessageInput {
	role: MessageCreate['role'];
	text: string;
	senderName?: string;
}

export interface ImageInput {
	mediaType: string;
	base64: string;
}

export function buildTextMessage({ role, text, senderName }: TextMessageInput): MessageCreate {
	return { role, content: text, ...(senderName ? { name: senderName } : {}) };
}

/** A user message whose content is the text (if any) followed by one image part per image. */
export function buildImageMessage(input: TextMessageInput, images: ImageInput[]): MessageCreate {
	const parts: ContentPart[] = [];
	if (input.text) parts.push({ type: 'text', text: input.text });
	for (const image of images) {
		parts.push({
			type: 'image',
			source: { type: 'base64', media_type: image.mediaType, data: image.base64 },
		});
	}
	return { ...buildTextMessage(input), content: parts };
}

/** The text of an assistant message, whose content is a string or text parts. */
function assistantText(message: LettaMessage): string {
	const { content } = message as { content?: unknown };
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) =>
			part && typeof part === 'object' ? (part as { text?: unknown }).text : undefined,
		)
		.filter((text): text is string => typeof text === 'string')
		.join('');
}

export function replyText(messages: LettaMessage[]): string {
	return messages
		.filter((message) => message.message_type === 'assistant_message')
		.map(assistantText)
		.filter((text) => text.length > 0)
		.join('\n\n');
}

function lastRunId(response: LettaResponse): string | null {
	for (let i = response.messages.length - 1; i >= 0; i--) {
		const runId = response.messages[i].run_id;
		if (runId) return runId;
	}
	const runIds = (response.usage as { run_ids?: unknown } | undefined)?.run_ids;
	return Array.isArray(runIds) && typeof runIds[0] === 'string' ? runIds[0] : null;
}

export interface AgentReply extends IDataObject {
	reply: string;
	stop_reason: string;
	agent_id: string;
	conversation_id: string | null;
	run_id: string | null;
	pending_approvals: PendingToolCall[];
	/** Set when the agent stopped for approval: what an approval answer maps unchanged. */
	answer_to: AnswerTo | null;
	usage: IDataObject;
	messages: IDataObject[];
}

/** The output item of one message exchange: the reply text first, Letta's own fields after it. */
export function shapeAgentReply(
	response: LettaResponse,
	scope: { agentId: string; conversationId?: string },
): AgentReply {
	const stopReason = response.stop_reason.stop_reason;
	const pending =
		stopReason === REQUIRES_APPROVAL
			? extractPendingApprovals(response.messages).map(expressionSafeToolCall)
			: [];
	return {
		reply: replyText(response.messages),
		stop_reason: stopReason,
		agent_id: scope.agentId,
		conversation_id: scope.conversationId || null,
		run_id: lastRunId(response),
		pending_approvals: pending,
		answer_to: pending.length ? buildAnswerTo(scope, pending) : null,
		usage: (response.usage ?? {}) as IDataObject,
		messages: response.messages as IDataObject[],
	};
}
