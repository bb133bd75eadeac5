import type { IDataObject } from 'n8n-workflow';

import { buildAnswerTo } from '../shared/approvals/answerMessage';
import { expressionSafeToolCall } from '../shared/approvals/toolCalls';
import type { DenialResult, PlannedEmission } from '../shared/approvals/triggerState';
import type { PendingApprovalRequest } from '../shared/approvals/pendingApprovals';

/** The trigger's output items: one per approval request, or per deadline denial. */

export const TRIGGER_EVENT = {
	requested: 'approval_requested',
	denied: 'approval_denied',
	denialFailed: 'approval_denial_failed',
} as const;

const SUMMARY_ARGUMENTS_LIMIT = 200;

function describeCall(call: PendingApprovalRequest['toolCalls'][number]): string {
	const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
	const shortened =
		args.length > SUMMARY_ARGUMENTS_LIMIT ? `${args.slice(0, SUMMARY_ARGUMENTS_LIMIT)}…` : args;
	return `${call.tool_name}(${shortened})`;
}

/** One line a human can read in Slack or a form: who wants to run what. */
export function approvalSummary(request: PendingApprovalRequest): string {
	const who = request.agentName ?? request.agentId;
	const where = request.conversationId ? ` in conversation ${request.conversationId}` : '';
	return `${who}${where} wants to run ${request.toolCalls.map(describeCall).join(' and ')}`;
}

/** The fields every item about one request carries, the answer_to block among them. */
function requestFields(request: PendingApprovalRequest): IDataObject {
	return {
		summary: approvalSummary(request),
		agent_id: request.agentId,
		agent_name: request.agentName,
		conversation_id: request.conversationId,
		run_id: request.runId,
		approval_request_id: request.approvalRequestId,
		requested_at: request.requestedAt,
		pending_approvals: request.toolCalls.map(expressionSafeToolCall),
		answer_to: buildAnswerTo(
			{ agentId: request.agentId, conversationId: request.conversationId },
			request.toolCalls,
		),
	};
}

export function approvalRequestedItem(
	emission: Pick<PlannedEmission, 'request' | 'timesEmitted' | 'reminder' | 'firstSeenAt'>,
	denyAt: string | null,
): IDataObject {
	return {
		event: TRIGGER_EVENT.requested,
		...requestFields(emission.request),
		reminder: emission.reminder,
		times_emitted: emission.timesEmitted,
		first_seen_at: emission.firstSeenAt,
		deny_at: denyAt,
	};
}

/**
 * A deadline denial. A sent one carries the agent's reply and no answer_to (there is
 * nothing left to answer); a failed one keeps answer_to, since the request still waits.
 */
export function denialItem(result: DenialResult, reason: string, deniedAt: string): IDataObject {
	const { request, deadline, since } = result.denial;
	const base = requestFields(request);
	if (result.error) {
		return {
			event: TRIGGER_EVENT.denialFailed,
			...base,
			summary: `Could not deny ${approvalSummary(request)} at its deadline: ${result.error.message}`,
			error: result.error.message,
			deadline,
			pending_since: since,
		};
	}
	return {
		event: TRIGGER_EVENT.denied,
		...base,
		summary: `Denied at its deadline: ${approvalSummary(request)}`,
		answer_to: null,
		denied: { reason, deadline, pending_since: since, denied_at: deniedAt },
		outcome: result.outcome ?? null,
	};
}
