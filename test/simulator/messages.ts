/** Builders for LettaMessage objects: every message carries id, date, run_id, step_id and otid. */
import type { IdFactory } from './ids';
import type {
	ApprovalDecisionItem,
	ApprovalRequestMessage,
	ApprovalResponseMessage,
	AssistantMessage,
	LettaMessage,
	ReasoningMessage,
	SystemMessage,
	ToolCall,
	ToolCallMessage,
	ToolReturnItem,
	ToolReturnMessage,
	UserContentPart,
	UserMessage,
} from './types';

export interface MessageContext {
	ids: IdFactory;
	runId: string;
	stepId: string | null;
}

function base(context: MessageContext, otid: string | null) {
	return {
		id: context.ids.prefixed('message'),
		date: new Date().toISOString(),
		name: null,
		otid: otid ?? context.ids.otid(),
		sender_id: null,
		step_id: context.stepId,
		is_err: null,
		seq_id: null,
		run_id: context.runId,
	};
}

export function userMessage(
	context: MessageContext,
	content: string | UserContentPart[],
	otid: string | null,
	senderId: string | null,
): UserMessage {
	return { ...base(context, otid), sender_id: senderId, message_type: 'user_message', content };
}

export function systemMessage(
	context: MessageContext,
	content: string,
	otid: string | null,
): SystemMessage {
	return { ...base(context, otid), message_type: 'system_message', content };
}

export function assistantMessage(
	context: MessageContext,
	content: string,
	otid: string | null = null,
): AssistantMessage {
	return { ...base(context, otid), message_type: 'assistant_message', content };
}

export function reasoningMessage(context: MessageContext, reasoning: string): ReasoningMessage {
	return {
		...base(context, null),
		message_type: 'reasoning_message',
		source: 'non_reasoner_model',
		reasoning,
		signature: null,
	};
}

export function toolCallMessage(context: MessageContext, toolCalls: ToolCall[]): ToolCallMessage {
	return {
		...base(context, null),
		message_type: 'tool_call_message',
		tool_call: toolCalls[0],
		tool_calls: toolCalls,
	};
}

export function toolReturnMessage(
	context: MessageContext,
	item: ToolReturnItem,
): ToolReturnMessage {
	return {
		...base(context, null),
		message_type: 'tool_return_message',
		tool_return: item.tool_return,
		status: item.status,
		tool_call_id: item.tool_call_id,
		stdout: item.stdout,
		stderr: item.stderr,
		tool_returns: [item],
	};
}

export function approvalRequestMessage(
	context: MessageContext,
	toolCalls: ToolCall[],
): ApprovalRequestMessage {
	return {
		...base(context, null),
		message_type: 'approval_request_message',
		tool_call: toolCalls[0],
		tool_calls: toolCalls,
	};
}

export function approvalResponseMessage(
	context: MessageContext,
	approvals: Array<ApprovalDecisionItem | ToolReturnItem>,
	otid: string | null,
): ApprovalResponseMessage {
	// The spec's ApprovalReturn has no updated_input: the history shows the decision only.
	const recorded = approvals.map((approval) => {
		if (approval.type !== 'approval' || !approval.updated_input) return approval;
		const decision: ApprovalDecisionItem = { ...approval };
		delete decision.updated_input;
		return decision;
	});
	return { ...base(context, otid), message_type: 'approval_response_message', approvals: recorded };
}

export function isAgentAuthored(message: LettaMessage): boolean {
	return (
		message.message_type !== 'user_message' && message.message_type !== 'approval_response_message'
	);
}
