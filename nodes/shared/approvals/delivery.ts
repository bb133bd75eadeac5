import type { IDataObject } from 'n8n-workflow';

import type { LettaMessage, MessageOptions } from '../api/messageSchemas';
import { postMessages, readMessageResponse, sendMessageRequest } from '../api/messages';
import { shapeAgentReply } from '../items/reply';
import { DEFAULT_TIMEOUT_MS, type LettaClient, type LettaRequest } from '../transport/request';
import { buildApprovalMessage, type ApprovalMessage } from './answerMessage';
import {
	answersInHistory,
	approvalRequestFromMessage,
	pendingRequestInHistory,
	readApprovalHistory,
	type ApprovalScope,
	type PendingApprovalRequest,
} from './pendingApprovals';
import { getAgentWithApproval } from '../api/agents';

/**
 * Sending an approval answer to the scope that asked, and checking first what that
 * scope is waiting on, so "already answered", "nothing to answer" and "wrong ids" each
 * get their own outcome instead of Letta's generic 400.
 */

/**
 * The request that answers an approval: the conversation endpoint for a conversation
 * (with `streaming: false`, its default being true), the agent endpoint otherwise.
 * Throws when the body does not match the spec's schema.
 */
export function approvalAnswerRequest(
	scope: ApprovalScope,
	message: ApprovalMessage,
	options: MessageOptions = {},
	timeoutMs: number = DEFAULT_TIMEOUT_MS,
): LettaRequest {
	const built = sendMessageRequest(scope, { messages: [message], ...options }, timeoutMs);
	if ('problem' in built) {
		throw new Error(`The approval answer does not match the Letta API: ${built.problem}`);
	}
	return built.request;
}

export type AnswerCheck =
	| { status: 'pending'; request: PendingApprovalRequest }
	| { status: 'alreadyAnswered'; answers: IDataObject[]; nowPending: PendingApprovalRequest | null }
	| { status: 'nothingPending' }
	| { status: 'mismatch'; expected: string[]; given: string[]; request: PendingApprovalRequest };

function sameIds(a: string[], b: string[]): boolean {
	return a.length === b.length && new Set(a).size === a.length && a.every((id) => b.includes(id));
}

/**
 * What answering `given` tool calls would meet: the matching pending request, an
 * earlier answer to them, a different pending request, or nothing at all.
 * `history` (oldest first) is only needed when `pending` does not match.
 */
export function classifyAnswer(
	given: string[],
	pending: PendingApprovalRequest | null,
	history: LettaMessage[] = [],
): AnswerCheck {
	if (
		pending &&
		sameIds(
			pending.toolCalls.map((call) => call.tool_call_id),
			given,
		)
	) {
		return { status: 'pending', request: pending };
	}
	const answers = answersInHistory(history, given);
	if (answers.length > 0) return { status: 'alreadyAnswered', answers, nowPending: pending };
	if (pending) {
		return {
			status: 'mismatch',
			expected: pending.toolCalls.map((call) => call.tool_call_id),
			given,
			request: pending,
		};
	}
	return { status: 'nothingPending' };
}

/** Reads the scope's live state (one request, two when it does not match) and classifies. */
export async function checkApprovalAnswer(
	client: LettaClient,
	scope: ApprovalScope,
	given: string[],
	itemIndex?: number,
): Promise<AnswerCheck> {
	if (scope.conversationId) {
		const history = await readApprovalHistory(client, scope, itemIndex);
		return classifyAnswer(given, pendingRequestInHistory(history, scope), history);
	}
	const agent = await getAgentWithApproval(client, scope.agentId, itemIndex);
	const pending = approvalRequestFromMessage(agent.pending_approval, scope, agent.name ?? null);
	const quick = classifyAnswer(given, pending);
	if (quick.status === 'pending') return quick;
	return classifyAnswer(given, pending, await readApprovalHistory(client, scope, itemIndex));
}

/** The agent's reply to an answer, without the raw message list (kept small for trigger items). */
export type AnswerOutcome = IDataObject;

/**
 * Denies every tool call of a pending request with `reason`, in its own scope (the
 * deadline of the trigger). Resolves `answeredMeanwhile` when the request was answered
 * by someone else between the read and the denial; throws on any other failure.
 */
export async function denyApprovalRequest(
	client: LettaClient,
	request: PendingApprovalRequest,
	reason: string,
): Promise<{ outcome: AnswerOutcome } | { answeredMeanwhile: true }> {
	const scope: ApprovalScope = { agentId: request.agentId, conversationId: request.conversationId };
	const ids = request.toolCalls.map((call) => call.tool_call_id);
	const message = buildApprovalMessage(ids, {
		kind: 'decision',
		approve: false,
		reason: reason || undefined,
	});
	let raw: unknown;
	let failure: unknown;
	try {
		raw = await postMessages(client, approvalAnswerRequest(scope, message), scope);
	} catch (error) {
		failure = error;
	}
	if (failure !== undefined) {
		// The transport's own error (a NodeApiError), unless someone answered in between.
		const now = await checkApprovalAnswer(client, scope, ids);
		if (now.status !== 'pending') return { answeredMeanwhile: true };
		throw failure;
	}
	const response = readMessageResponse(client, raw, undefined, 'the denial');
	const { reply, stop_reason, run_id, answer_to } = shapeAgentReply(response, {
		agentId: scope.agentId,
		conversationId: scope.conversationId ?? undefined,
	});
	return { outcome: { reply, stop_reason, run_id, answer_to } };
}
