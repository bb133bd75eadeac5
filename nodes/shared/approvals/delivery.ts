import type { IDataObject } from 'n8n-workflow';

import { buildApprovalMessage, type ApprovalMessage } from './answer';
import { shapeAgentReply } from '../items/reply';
import {
	answersInHistory,
	approvalRequestFromMessage,
	pendingRequestInHistory,
	readAgent,
	readApprovalHistory,
	resourceName,
	type ApprovalScope,
	type PendingApprovalRequest,
} from './pendingApprovals';
import {
	agentMessageBodySchema,
	conversationMessageBodySchema,
	describeZodError,
	lettaResponseSchema,
	type LettaMessage,
	type MessageOptions,
} from '../api/messageSchemas';
import { DEFAULT_TIMEOUT_MS, type LettaClient, type LettaRequest } from '../transport/request';

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
	const body: IDataObject = scope.conversationId
		? { messages: [message], ...options, streaming: false }
		: { messages: [message], ...options };
	const schema = scope.conversationId ? conversationMessageBodySchema : agentMessageBodySchema;
	const checked = schema.safeParse(body);
	if (!checked.success)
		throw new Error(
			`The approval answer does not match the Letta API: ${describeZodError(checked.error)}`,
		);
	return {
		method: 'POST',
		path: scope.conversationId
			? `/v1/conversations/${scope.conversationId}/messages`
			: `/v1/agents/${scope.agentId}/messages`,
		body,
		timeoutMs,
	};
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
	const agent = await readAgent(client, scope.agentId, itemIndex);
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
		raw = await client.request<unknown>(approvalAnswerRequest(scope, message), {
			agentId: scope.agentId,
			resource: resourceName(scope),
		});
	} catch (error) {
		failure = error;
	}
	if (failure !== undefined) {
		// The transport's own error (a NodeApiError), unless someone answered in between.
		const now = await checkApprovalAnswer(client, scope, ids);
		if (now.status !== 'pending') return { answeredMeanwhile: true };
		throw failure;
	}
	const parsed = lettaResponseSchema.safeParse(raw);
	if (!parsed.success) {
		throw new Error(
			`Letta answered the denial with an unexpected response: ${describeZodError(parsed.error)}`,
		);
	}
	const { reply, stop_reason, run_id, answer_to } = shapeAgentReply(parsed.data, {
		agentId: scope.agentId,
		conversationId: scope.conversationId ?? undefined,
	});
	return { outcome: { reply, stop_reason, run_id, answer_to } };
}
