import type { IDataObject } from 'n8n-workflow';

import type { PendingToolCall } from './toolCalls';

/**
 * Answers to pending tool approvals, shared by Send Agent Message, Send to Environment
 * and the trigger's deadline denials: the `answer_to` block that says which request is
 * answered, and the approval message that answers every one of its tool calls.
 */

/** Which approval request an answer goes to. Emitted by the trigger and the Needs Approval output. */
export interface AnswerTo extends IDataObject {
	agent_id: string;
	conversation_id: string | null;
	approval_request_id: string | null;
	tool_call_ids: string[];
}

export function buildAnswerTo(
	scope: { agentId: string; conversationId?: string | null },
	pending: PendingToolCall[],
): AnswerTo {
	return {
		agent_id: scope.agentId,
		conversation_id: scope.conversationId || null,
		approval_request_id: pending[0]?.approval_request_id ?? null,
		tool_call_ids: pending.map((call) => call.tool_call_id),
	};
}

export type ApprovalAnswer =
	| { kind: 'decision'; approve: boolean; reason?: string; updatedInput?: IDataObject }
	| {
			kind: 'toolReturn';
			toolReturn: string;
			status: 'success' | 'error';
			stdout?: string[];
			stderr?: string[];
	  };

/** One entry of `approvals` in an ApprovalCreate message (snake_case, as the spec writes it). */
export type ApprovalItem =
	| {
			type: 'approval';
			tool_call_id: string;
			approve: boolean;
			reason?: string;
			updated_input?: IDataObject;
	  }
	| {
			type: 'tool';
			tool_call_id: string;
			tool_return: string;
			status: 'success' | 'error';
			stdout?: string[];
			stderr?: string[];
	  };

export interface ApprovalMessage {
	type: 'approval';
	approvals: ApprovalItem[];
	/** Set by the sender: Letta recognises a resend of a background request by it. */
	otid?: string;
}

function toApprovalItem(toolCallId: string, answer: ApprovalAnswer): ApprovalItem {
	if (answer.kind === 'toolReturn') {
		return {
			type: 'tool',
			tool_call_id: toolCallId,
			tool_return: answer.toolReturn,
			status: answer.status,
			...(answer.stdout?.length ? { stdout: answer.stdout } : {}),
			...(answer.stderr?.length ? { stderr: answer.stderr } : {}),
		};
	}
	return {
		type: 'approval',
		tool_call_id: toolCallId,
		approve: answer.approve,
		...(answer.reason ? { reason: answer.reason } : {}),
		...(answer.updatedInput ? { updated_input: answer.updatedInput } : {}),
	};
}

export class ApprovalIdMismatch extends Error {
	constructor(
		readonly expected: string[],
		readonly given: string[],
	) {
		super(
			`tool call ids do not match: expected ${expected.join(', ') || '(none)'}, given ${given.join(', ') || '(none)'}`,
		);
	}
}

/**
 * One approval message answering every pending tool call (Letta refuses a partial set).
 * `perCall` overrides the default answer for some calls; naming a call that is not
 * pending is an error that lists both sets of ids.
 */
export function buildApprovalMessage(
	toolCallIds: string[],
	defaultAnswer: ApprovalAnswer,
	perCall: Record<string, ApprovalAnswer> = {},
): ApprovalMessage {
	const unknown = Object.keys(perCall).filter((id) => !toolCallIds.includes(id));
	if (unknown.length > 0) throw new ApprovalIdMismatch(toolCallIds, Object.keys(perCall));
	return {
		type: 'approval',
		approvals: toolCallIds.map((id) => toApprovalItem(id, perCall[id] ?? defaultAnswer)),
	};
}
