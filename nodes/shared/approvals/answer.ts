import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import type { PendingToolCall } from './toolCalls';
import { isAgentId, isConversationId } from '../api/ids';
import { itemInputError, readJsonParameter } from '../items/parameters';
import { describeZodError } from '../api/messageSchemas';

/**
 * Answers to pending tool approvals, shared by Send Agent Message and Send to
 * Environment: the `answer_to` block that says which request is answered, the
 * UI fields for the decision, and the builder of the approval message.
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

const answerToSchema = z.object({
	agent_id: z.string().refine(isAgentId, 'not a Letta agent ID (agent-<uuid>)'),
	conversation_id: z
		.string()
		.refine(isConversationId, 'not a Letta conversation ID (conv-<uuid>)')
		.nullable()
		.optional(),
	approval_request_id: z.string().nullable().optional(),
	tool_call_ids: z.array(z.string().min(1)).min(1, 'lists no tool call'),
});

/**
 * Reads an `answer_to` block. Also takes a whole item of the trigger or of the Needs
 * Approval output (which carry `answer_to`), so either can be mapped as `{{ $json }}`.
 */
export function parseAnswerTo(value: unknown): { answerTo?: AnswerTo; problem?: string } {
	let candidate = value;
	if (typeof candidate === 'string') {
		try {
			candidate = JSON.parse(candidate);
		} catch {
			return { problem: 'is not valid JSON' };
		}
	}
	if (candidate && typeof candidate === 'object' && 'answer_to' in candidate) {
		candidate = (candidate as { answer_to: unknown }).answer_to;
	}
	const parsed = answerToSchema.safeParse(candidate);
	if (!parsed.success) return { problem: describeZodError(parsed.error, 'answer_to') };
	const { agent_id, conversation_id, approval_request_id, tool_call_ids } = parsed.data;
	return {
		answerTo: {
			agent_id,
			conversation_id: conversation_id ?? null,
			approval_request_id: approval_request_id ?? null,
			tool_call_ids,
		},
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

const perCallAnswerSchema = z.union([
	z
		.object({
			approve: z.boolean(),
			reason: z.string().optional(),
			updated_input: z.record(z.unknown()).optional(),
		})
		.strict(),
	z
		.object({
			tool_return: z.string(),
			status: z.enum(['success', 'error']).default('success'),
			stdout: z.array(z.string()).optional(),
			stderr: z.array(z.string()).optional(),
		})
		.strict(),
]);

const perCallAnswersSchema = z.record(perCallAnswerSchema);

function toAnswer(value: z.infer<typeof perCallAnswerSchema>): ApprovalAnswer {
	if ('tool_return' in value) {
		return {
			kind: 'toolReturn',
			toolReturn: value.tool_return,
			status: value.status,
			stdout: value.stdout,
			stderr: value.stderr,
		};
	}
	return {
		kind: 'decision',
		approve: value.approve,
		reason: value.reason,
		updatedInput: value.updated_input as IDataObject | undefined,
	};
}

export const ANSWER_KIND = { decision: 'decision', toolReturn: 'toolReturn' } as const;

/** The UI of an approval answer; `withUpdatedInput` adds the environment-only `updated_input`. */
export function approvalAnswerProperties(
	displayOptions: IDisplayOptions,
	{ withUpdatedInput = false, withOutput = false } = {},
): INodeProperties[] {
	const show = (extra: NonNullable<IDisplayOptions['show']> = {}): IDisplayOptions => ({
		...displayOptions,
		show: { ...displayOptions.show, ...extra },
	});
	const properties: INodeProperties[] = [
		{
			displayName: 'Approval Request',
			name: 'answerTo',
			type: 'json',
			default: '={{ $json.answer_to }}',
			required: true,
			displayOptions: show(),
			description:
				'Which request to answer: the "answer_to" block of a Letta Trigger item or of the Needs Approval output (agent, conversation and tool call IDs). The default maps it from the input item.',
		},
		{
			displayName: 'Answer',
			name: 'answerKind',
			type: 'options',
			default: 'decision',
			displayOptions: show(),
			options: [
				{
					name: 'Approve or Deny',
					value: ANSWER_KIND.decision,
					description: 'Let the agent run the tool, or refuse with a reason',
				},
				{
					name: 'Provide Tool Result',
					value: ANSWER_KIND.toolReturn,
					description: 'Run the tool yourself and hand the agent its result',
				},
			],
		},
		{
			displayName: 'Approve',
			name: 'approve',
			type: 'boolean',
			default: true,
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description:
				'Whether to let the agent run the tool. Map a human decision here, e.g. the approved field of a Slack or form response.',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description: 'Optional. Why, as the agent will read it (most useful with a denial).',
		},
		{
			displayName: 'Tool Result',
			name: 'toolReturn',
			type: 'string',
			default: '',
			typeOptions: { rows: 3 },
			displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
			description: 'What the tool returned, as the agent will read it',
		},
		{
			displayName: 'Tool Status',
			name: 'toolStatus',
			type: 'options',
			default: 'success',
			displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
			options: [
				{ name: 'Success', value: 'success' },
				{ name: 'Error', value: 'error' },
			],
		},
	];
	if (withOutput) {
		properties.push(
			{
				displayName: 'Stdout',
				name: 'toolStdout',
				type: 'string',
				default: '',
				displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
				description: 'Optional. Standard output of the tool run, one line per entry.',
			},
			{
				displayName: 'Stderr',
				name: 'toolStderr',
				type: 'string',
				default: '',
				displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
				description: 'Optional. Standard error of the tool run, one line per entry.',
			},
		);
	}
	if (withUpdatedInput) {
		properties.push({
			displayName: 'Updated Input (JSON)',
			name: 'updatedInput',
			type: 'json',
			default: '',
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description:
				'Optional. New arguments for the tool call, replacing the ones the agent proposed (approvals only).',
		});
	}
	properties.push({
		displayName: 'Answers per Tool Call (JSON)',
		name: 'perCallAnswers',
		type: 'json',
		default: '',
		displayOptions: show(),
		description:
			'Optional, for parallel tool calls. An object keyed by tool_call_id, each {"approve": true|false, "reason": "..."} or {"tool_return": "...", "status": "success"|"error"}. Calls not named get the answer above.',
	});
	return properties;
}

export interface ReadApproval {
	answerTo: AnswerTo;
	message: ApprovalMessage;
}

function lines(value: string): string[] | undefined {
	const split = value.split('\n').filter((line) => line.length > 0);
	return split.length ? split : undefined;
}

/** Reads the approval UI of one item into the request it answers and the message to send. */
export function readApprovalAnswer(context: IExecuteFunctions, itemIndex: number): ReadApproval {
	const fail = (message: string, description: string) =>
		itemInputError(context, itemIndex, message, description);

	const { answerTo, problem } = parseAnswerTo(context.getNodeParameter('answerTo', itemIndex, ''));
	if (!answerTo) {
		throw fail(
			`"Approval Request" does not say which approval to answer: ${problem}`,
			'Map the "answer_to" block of a Letta Trigger item or of the Needs Approval output, e.g. {{ $json.answer_to }}.',
		);
	}

	const kind = context.getNodeParameter('answerKind', itemIndex, ANSWER_KIND.decision) as string;
	let answer: ApprovalAnswer;
	if (kind === ANSWER_KIND.toolReturn) {
		answer = {
			kind: 'toolReturn',
			toolReturn: String(context.getNodeParameter('toolReturn', itemIndex, '')),
			status: context.getNodeParameter('toolStatus', itemIndex, 'success') as 'success' | 'error',
			stdout: lines(String(context.getNodeParameter('toolStdout', itemIndex, ''))),
			stderr: lines(String(context.getNodeParameter('toolStderr', itemIndex, ''))),
		};
	} else {
		const approve = context.getNodeParameter('approve', itemIndex, true) as unknown;
		if (typeof approve !== 'boolean') {
			throw fail(
				`"Approve" must be true or false, got ${JSON.stringify(approve)}`,
				'Map a boolean, e.g. {{ $json.data.approved === true }}.',
			);
		}
		const updatedInput = readJsonParameter(
			context,
			itemIndex,
			'updatedInput',
			'Updated Input (JSON)',
			'{"path": "/tmp/report.txt"}',
		);
		if (
			updatedInput !== undefined &&
			(typeof updatedInput !== 'object' || updatedInput === null || Array.isArray(updatedInput))
		) {
			throw fail(
				'"Updated Input (JSON)" must be a JSON object',
				'Give the tool arguments as an object, e.g. {"path": "/tmp/report.txt"}.',
			);
		}
		answer = {
			kind: 'decision',
			approve,
			reason: String(context.getNodeParameter('reason', itemIndex, '')) || undefined,
			updatedInput: updatedInput as IDataObject | undefined,
		};
	}

	const rawPerCall = readJsonParameter(
		context,
		itemIndex,
		'perCallAnswers',
		'Answers per Tool Call (JSON)',
		'{"<tool_call_id>": {"approve": false, "reason": "..."}}',
	);
	let perCall: Record<string, ApprovalAnswer> = {};
	if (rawPerCall !== undefined) {
		const parsed = perCallAnswersSchema.safeParse(rawPerCall);
		if (!parsed.success) {
			throw fail(
				`"Answers per Tool Call (JSON)" is not valid: ${describeZodError(parsed.error)}`,
				'Give an object keyed by tool_call_id, each {"approve": true|false, "reason": "..."} or {"tool_return": "...", "status": "success"}.',
			);
		}
		perCall = Object.fromEntries(
			Object.entries(parsed.data).map(([id, value]) => [id, toAnswer(value)]),
		);
	}

	try {
		return { answerTo, message: buildApprovalMessage(answerTo.tool_call_ids, answer, perCall) };
	} catch (error) {
		if (error instanceof ApprovalIdMismatch) {
			throw fail(
				'"Answers per Tool Call (JSON)" names tool calls that are not part of this approval request',
				`Expected ids: ${error.expected.join(', ')}. Given: ${error.given.join(', ')}.`,
			);
		}
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}
