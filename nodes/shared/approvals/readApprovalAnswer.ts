import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { isAgentId, isConversationId } from '../api/ids';
import { describeZodError } from '../api/validate';
import { itemInputError, readJsonParameter } from '../items/parameters';
import { ANSWER_KIND } from '../ui/approvalAnswerFields';
import {
	ApprovalIdMismatch,
	buildApprovalMessage,
	type AnswerTo,
	type ApprovalAnswer,
	type ApprovalMessage,
} from './answerMessage';

/** Reading one item's approval-answer parameters into the request it answers and the message to send. */

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
