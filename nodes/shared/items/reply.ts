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

/**
 * What an AI Agent's model reads when a node runs as its tool: n8n serialises the json of the
 * first output's items and nothing else, so every outcome (reply, approval wait, error) is said
 * there in words, with the ids a later call needs. Other items (the Letta node's resources)
 * are already plain data and stay as they are.
 */
export function toolResult(json: IDataObject): IDataObject {
	if (typeof json.error === 'string' && json.stop_reason === undefined) {
		const description = typeof json.description === 'string' ? json.description : '';
		return {
			status: 'error',
			error: description
				? `${json.error}${/[.!?]$/.test(json.error) ? '' : '.'} ${description}`
				: json.error,
		};
	}
	if (typeof json.stop_reason !== 'string' || typeof json.reply !== 'string') return json;
	const ids = { agent_id: json.agent_id ?? null, conversation_id: json.conversation_id ?? null };
	if (json.stop_reason !== REQUIRES_APPROVAL) {
		return { status: 'completed', reply: json.reply, stop_reason: json.stop_reason, ...ids };
	}
	const pending = Array.isArray(json.pending_approvals)
		? (json.pending_approvals as PendingToolCall[])
		: [];
	const answerTo = (json.answer_to ?? {}) as Partial<AnswerTo>;
	const calls = pending.map((call) => describeToolCall(call)).join(', ');
	return {
		status: 'waiting_for_approval',
		text:
			`The Letta agent ${String(ids.agent_id)} is waiting for a human to approve ${calls || 'a tool call'}. ` +
			'Nothing has run yet; it goes on once a person approves or denies it (answer with the ids below).',
		...(json.reply ? { reply: json.reply } : {}),
		...ids,
		approval_request_id: answerTo.approval_request_id ?? null,
		tool_call_ids: answerTo.tool_call_ids ?? pending.map((call) => call.tool_call_id),
		pending_approvals: pending.map((call) => ({
			tool_name: call.tool_name,
			arguments: call.arguments,
			tool_call_id: call.tool_call_id,
		})),
	};
}

/** `delete_file({"path":"/tmp/old-report.txt"})`, as the model would have written the call. */
function describeToolCall(call: PendingToolCall): string {
	const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
	return `${call.tool_name}(${args})`;
}
