import type { IDataObject } from 'n8n-workflow';

import type { LettaMessage } from '../api/messageSchemas';

/** One tool call an agent is waiting on, in the shape the node outputs and accepts back. */
export interface PendingToolCall extends IDataObject {
	tool_call_id: string;
	tool_name: string;
	/** Parsed from Letta's JSON string; the raw string when it is not valid JSON. */
	arguments: IDataObject | string;
	approval_request_id: string | null;
	run_id: string | null;
}

interface RawToolCall {
	tool_call_id?: unknown;
	name?: unknown;
	arguments?: unknown;
}

export function parseToolArguments(raw: unknown): IDataObject | string {
	if (typeof raw !== 'string') return (raw ?? {}) as IDataObject;
	if (raw.trim() === '') return {};
	try {
		const parsed: unknown = JSON.parse(raw);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as IDataObject)
			: raw;
	} catch {
		// Not JSON: hand the text over as Letta sent it rather than losing it.
		return raw;
	}
}

function toolCallsOf(message: LettaMessage): RawToolCall[] {
	const { tool_calls: many, tool_call: one } = message as {
		tool_calls?: unknown;
		tool_call?: unknown;
	};
	if (Array.isArray(many) && many.length > 0) return many as RawToolCall[];
	return one && typeof one === 'object' ? [one as RawToolCall] : [];
}

/**
 * The tool calls still waiting for an answer: those of the approval requests that
 * no later approval response in the same list answers. Parallel calls arrive together.
 */
export function extractPendingApprovals(messages: LettaMessage[]): PendingToolCall[] {
	const pending = new Map<string, PendingToolCall>();
	for (const message of messages) {
		if (message.message_type === 'approval_request_message') {
			for (const call of toolCallsOf(message)) {
				if (typeof call.tool_call_id !== 'string') continue;
				pending.set(call.tool_call_id, {
					tool_call_id: call.tool_call_id,
					tool_name: typeof call.name === 'string' ? call.name : '',
					arguments: parseToolArguments(call.arguments),
					approval_request_id: message.id ?? null,
					run_id: message.run_id ?? null,
				});
			}
		} else if (message.message_type === 'approval_response_message') {
			for (const answered of answeredToolCallIds(message)) pending.delete(answered);
		}
	}
	return [...pending.values()];
}

/** The tool call ids an approval_response_message answers. */
export function answeredToolCallIds(message: LettaMessage): string[] {
	const { approvals } = message as { approvals?: unknown };
	if (!Array.isArray(approvals)) return [];
	return approvals
		.map((approval) => (approval as { tool_call_id?: unknown } | null)?.tool_call_id)
		.filter((id): id is string => typeof id === 'string');
}

/**
 * A tool call as output items carry it, plus `args`: the same parsed arguments under a
 * name n8n expressions can read (its expression sandbox refuses any property named
 * `arguments`, so `{{ $json.pending_approvals[0].arguments.path }}` fails).
 */
export function expressionSafeToolCall(
	call: PendingToolCall,
): PendingToolCall & { args: IDataObject | string } {
	return { ...call, args: call.arguments };
}
