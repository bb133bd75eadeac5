import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { buildAnswerTo } from '../shared/approvals/answerMessage';
import { checkApprovalAnswer, type AnswerCheck } from '../shared/approvals/delivery';
import { describeScope, type ApprovalScope } from '../shared/approvals/pendingApprovals';
import type { LettaClient } from '../shared/transport/request';
import type { ChatStream } from '../shared/waiting/chatStream';
import type { Delivered, WaitSession } from '../shared/waiting/deliver';
import type { PreparedMessage } from './prepareMessage';
import { deliveredJson, sendAndWait } from './sendMessage';

export type PreparedApprovalAnswer = PreparedMessage & {
	approval: NonNullable<PreparedMessage['approval']>;
};

function answeredBlock(entry: PreparedApprovalAnswer): IDataObject {
	return {
		approval_request_id: entry.approval.approvalRequestId,
		tool_call_ids: entry.approval.toolCallIds,
	};
}

/** Not an error: someone (a person, another execution) answered first, so nothing was sent. */
function alreadyAnsweredItem(
	entry: PreparedApprovalAnswer,
	scope: ApprovalScope,
	check: Extract<AnswerCheck, { status: 'alreadyAnswered' }>,
	itemIndex: number,
): INodeExecutionData {
	return {
		json: {
			reply: '',
			stop_reason: null,
			already_answered: true,
			message: `This approval request was already answered on ${describeScope(scope)}; nothing was sent.`,
			agent_id: scope.agentId,
			conversation_id: scope.conversationId,
			answered: answeredBlock(entry),
			previous_answers: check.answers,
			// A newer request the agent asked after that answer, if any (the trigger emits it too).
			now_pending: check.nowPending ? buildAnswerTo(scope, check.nowPending.toolCalls) : null,
		},
		pairedItem: { item: itemIndex },
	};
}

function checkError(
	context: IExecuteFunctions,
	scope: ApprovalScope,
	check: Extract<AnswerCheck, { status: 'nothingPending' | 'mismatch' }>,
	given: string[],
	itemIndex: number,
): NodeOperationError {
	if (check.status === 'nothingPending') {
		return new NodeOperationError(
			context.getNode(),
			`Nothing to answer: ${describeScope(scope)} is not waiting for a tool approval [item ${itemIndex}]`,
			{
				itemIndex,
				description: `No pending approval and no earlier answer to tool call(s) ${given.join(', ')} was found there. Map the "answer_to" block of a current Letta Trigger or Needs Approval item, and check it names the right agent and conversation.`,
			},
		);
	}
	return new NodeOperationError(
		context.getNode(),
		`The tool call IDs do not match the approval ${describeScope(scope)} is waiting for [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Expected: ${check.expected.join(', ')} (approval request ${check.request.approvalRequestId ?? 'unknown'}). Given: ${check.given.join(', ')}. Letta needs every pending tool call answered in one request: map the whole "answer_to" block of the current request.`,
		},
	);
}

function refusedAsNothingPending(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '400';
}

/**
 * Checks an approval answer against the scope's live state before anything is sent: the
 * "already answered" item (nothing to send: a resend of a processed answer would start a new
 * turn at Letta), undefined when the request is pending and the answer may go, or the error
 * of an answer to nothing or to other tool calls. Every way of sending an answer asks this first.
 */
export async function answeredBefore(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedApprovalAnswer,
	itemIndex: number,
): Promise<INodeExecutionData | undefined> {
	const scope: ApprovalScope = {
		agentId: entry.agentId,
		conversationId: entry.conversationId ?? null,
	};
	const given = entry.approval.toolCallIds;
	const check = await checkApprovalAnswer(client, scope, given, itemIndex);
	if (check.status === 'alreadyAnswered')
		return alreadyAnsweredItem(entry, scope, check, itemIndex);
	if (check.status !== 'pending') throw checkError(context, scope, check, given, itemIndex);
	return undefined;
}

/**
 * Answers one approval: checks what the scope is waiting on, sends the answer to that
 * scope, and shapes Letta's reply like any message (Completed, or Needs Approval when the
 * agent asks for its next tool).
 */
export async function sendApprovalAnswer(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedApprovalAnswer,
	itemIndex: number,
	session: WaitSession,
	chat?: ChatStream,
): Promise<INodeExecutionData> {
	const answered = await answeredBefore(context, client, entry, itemIndex);
	if (answered) return answered;
	const scope: ApprovalScope = {
		agentId: entry.agentId,
		conversationId: entry.conversationId ?? null,
	};
	const given = entry.approval.toolCallIds;

	let delivered: Delivered | undefined;
	let failure: unknown;
	try {
		delivered = await sendAndWait(client, entry, itemIndex, session, chat);
	} catch (error) {
		failure = error;
	}
	if (delivered === undefined) {
		// Answered elsewhere between the check and the send: Letta then says nothing is pending.
		if (refusedAsNothingPending(failure)) {
			const again = await checkApprovalAnswer(client, scope, given, itemIndex);
			if (again.status === 'alreadyAnswered')
				return alreadyAnsweredItem(entry, scope, again, itemIndex);
		}
		throw failure;
	}
	const reply = deliveredJson(delivered, entry);
	return {
		json: { ...reply, already_answered: false, answered: answeredBlock(entry) },
		pairedItem: { item: itemIndex },
	};
}
