/**
 * Shapes the simulator stores and returns. Field names follow the vendored OpenAPI spec
 * (LettaMessageUnion, Run, ...); only the fields the simulator fills are typed here.
 */

import type { AgentBehaviour } from './fixtures';

export type StopReason =
	| 'end_turn'
	| 'error'
	| 'llm_api_error'
	| 'invalid_llm_response'
	| 'invalid_tool_call'
	| 'max_steps'
	| 'max_tokens_exceeded'
	| 'no_tool_call'
	| 'tool_rule'
	| 'cancelled'
	| 'insufficient_credits'
	| 'requires_approval'
	| 'context_window_overflow_in_system_prompt';

export const STOP_REASONS: readonly StopReason[] = [
	'end_turn',
	'error',
	'llm_api_error',
	'invalid_llm_response',
	'invalid_tool_call',
	'max_steps',
	'max_tokens_exceeded',
	'no_tool_call',
	'tool_rule',
	'cancelled',
	'insufficient_credits',
	'requires_approval',
	'context_window_overflow_in_system_prompt',
];

export type MessageType =
	| 'system_message'
	| 'user_message'
	| 'assistant_message'
	| 'reasoning_message'
	| 'hidden_reasoning_message'
	| 'tool_call_message'
	| 'tool_return_message'
	| 'approval_request_message'
	| 'approval_response_message'
	| 'summary_message'
	| 'event_message';

export const MESSAGE_TYPES: readonly MessageType[] = [
	'system_message',
	'user_message',
	'assistant_message',
	'reasoning_message',
	'hidden_reasoning_message',
	'tool_call_message',
	'tool_return_message',
	'approval_request_message',
	'approval_response_message',
	'summary_message',
	'event_message',
];

export interface TextPart {
	type: 'text';
	text: string;
}

/** User content parts are kept as sent (text or image) so history shows what was received. */
export type UserContentPart = TextPart | { type: 'image'; source: Record<string, unknown> };

export interface ToolCall {
	name: string;
	/** A JSON string, as Letta sends it. */
	arguments: string;
	tool_call_id: string;
}

/** Fields every LettaMessage carries. */
interface MessageBase {
	id: string;
	date: string;
	name: null;
	otid: string | null;
	sender_id: string | null;
	step_id: string | null;
	is_err: null;
	seq_id: null;
	run_id: string | null;
}

export interface UserMessage extends MessageBase {
	message_type: 'user_message';
	content: string | UserContentPart[];
}

export interface SystemMessage extends MessageBase {
	message_type: 'system_message';
	content: string;
}

export interface AssistantMessage extends MessageBase {
	message_type: 'assistant_message';
	content: string;
}

export interface ReasoningMessage extends MessageBase {
	message_type: 'reasoning_message';
	source: 'non_reasoner_model';
	reasoning: string;
	signature: null;
}

export interface ToolCallMessage extends MessageBase {
	message_type: 'tool_call_message';
	tool_call: ToolCall;
	tool_calls: ToolCall[];
}

export interface ToolReturnItem {
	type: 'tool';
	tool_call_id: string;
	tool_return: string;
	status: 'success' | 'error';
	stdout: string[] | null;
	stderr: string[] | null;
}

export interface ToolReturnMessage extends MessageBase {
	message_type: 'tool_return_message';
	tool_return: string;
	status: 'success' | 'error';
	tool_call_id: string;
	stdout: string[] | null;
	stderr: string[] | null;
	tool_returns: ToolReturnItem[];
}

export interface ApprovalRequestMessage extends MessageBase {
	message_type: 'approval_request_message';
	tool_call: ToolCall;
	tool_calls: ToolCall[];
}

export interface ApprovalDecisionItem {
	type: 'approval';
	tool_call_id: string;
	approve: boolean;
	reason: string | null;
	/** Environments only: arguments that replace the ones the agent proposed. */
	updated_input?: Record<string, unknown>;
}

export interface ApprovalResponseMessage extends MessageBase {
	message_type: 'approval_response_message';
	approvals: Array<ApprovalDecisionItem | ToolReturnItem>;
}

export type LettaMessage =
	| UserMessage
	| SystemMessage
	| AssistantMessage
	| ReasoningMessage
	| ToolCallMessage
	| ToolReturnMessage
	| ApprovalRequestMessage
	| ApprovalResponseMessage;

export interface UsageStatistics {
	message_type: 'usage_statistics';
	completion_tokens: number;
	prompt_tokens: number;
	total_tokens: number;
	step_count: number;
	run_ids: string[];
	cached_input_tokens: null;
	cache_write_tokens: null;
	reasoning_tokens: null;
	context_tokens: null;
}

export interface LettaResponseBody {
	messages: LettaMessage[];
	stop_reason: { message_type: 'stop_reason'; stop_reason: StopReason };
	usage: UsageStatistics;
}

export type RunStatus = 'created' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunRecord {
	id: string;
	agentId: string;
	/** null for the agent's default conversation, as Letta reports it. */
	conversationId: string | null;
	status: RunStatus;
	stopReason: StopReason | null;
	createdAt: string;
	completedAt: string | null;
	/** Creation order: timestamps of fast runs collide, the sequence does not. */
	sequence: number;
	durationMs: number | null;
	/** Tokens of the run's steps, once it ran (GET /v1/runs/{run_id}/usage sums them). */
	tokens?: { prompt: number; completion: number; steps: number };
	/** Set by background streaming and messages/async (asyncRoutes.ts); absent = Letta's defaults. */
	background?: boolean;
	metadata?: Record<string, unknown>;
	callback?: RunCallback;
}

/** A run's callback_url and what its one delivery attempt gave (callbacks.ts). */
export interface RunCallback {
	url: string;
	sentAt: string | null;
	statusCode: number | null;
	error: string | null;
}

export interface AgentRecord {
	id: string;
	name: string;
	tags: string[];
	description: string;
	behaviour: AgentBehaviour;
	createdAt: string;
	updatedAt: string;
	lastStopReason: StopReason | null;
	lastRunCompletion: string | null;
	lastRunDurationMs: number | null;
}

export interface ConversationRecord {
	id: string;
	agentId: string;
	summary: string | null;
	createdAt: string;
	updatedAt: string;
	lastMessageAt: string | null;
	/** The model handle the conversation overrides the agent's with (PATCH), or null. */
	model: string | null;
	sequence: number;
}

/** Identifies one conversation of one agent; `conversationId` null = the default conversation. */
export interface Scope {
	agentId: string;
	conversationId: string | null;
}

export interface PendingApproval {
	scope: Scope;
	runId: string;
	request: ApprovalRequestMessage;
}

export interface EnvironmentRecord {
	id: string;
	deviceId: string;
	connectionName: string;
	connectionId: string | null;
	staleConnectionIds: string[];
	/**
	 * Age of the last heartbeat, kept constant relative to "now": a live device keeps
	 * heartbeating, so its lastHeartbeat is recomputed on every read.
	 */
	heartbeatAgeMs: number | null;
	connectedAtMs: number | null;
	firstSeenAtMs: number;
	defaultAgentId: string;
	os: string;
}

/** A memory block; which agents it is attached to is kept on the store (`agentBlocks`). */
export interface BlockRecord {
	id: string;
	label: string;
	value: string;
	limit: number;
	description: string | null;
	tags: string[];
}

/** One archival memory passage of an agent. */
export interface PassageRecord {
	id: string;
	agentId: string;
	text: string;
	tags: string[];
	createdAt: string;
	sequence: number;
}
