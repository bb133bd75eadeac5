import type { IDataObject } from 'n8n-workflow';

import type { LettaMessage, LettaResponse } from '../api/messageSchemas';
import { contentText } from '../api/messages';
import { REQUIRES_APPROVAL } from '../api/runs';
import { buildAnswerTo, type AnswerTo } from '../approvals/answerMessage';
import {
	expressionSafeToolCall,
	extractPendingApprovals,
	type PendingToolCall,
} from '../approvals/toolCalls';

/** The output item of a message exchange: the reply text first, Letta's own fields after it. */

export function replyText(messages: LettaMessage[]): string {
	return messages
		.filter((message) => message.message_type === 'assistant_message')
		.map((message) => contentText((message as { content?: unknown }).content))
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
