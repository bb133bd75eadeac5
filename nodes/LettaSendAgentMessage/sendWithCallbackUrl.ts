import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { startAsyncRun } from '../shared/api/asyncMessages';
import type { LettaClient } from '../shared/transport/request';
import type { PreparedMessage } from './prepareMessage';
import { answeredBefore, type PreparedApprovalAnswer } from './sendApprovalAnswer';

/** Only the agent endpoint has an async route. */
export function asyncAgentId(
	context: IExecuteFunctions,
	entry: PreparedMessage,
	itemIndex: number,
): string {
	if (!entry.conversationId) return entry.agentId;
	throw new NodeOperationError(
		context.getNode(),
		`Wait for Callback cannot send to conversation ${entry.conversationId} [item ${itemIndex}]`,
		{
			itemIndex,
			description:
				'Letta starts background runs with a callback on an agent\'s default conversation only. Clear "Conversation", or choose another Wait Mode.',
		},
	);
}

/**
 * An approval answer is checked against the live state first, as on every path: an answer
 * already processed comes back as the "already answered" item and is never sent again.
 */
export async function answeredBeforeAsync(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedMessage,
	itemIndex: number,
): Promise<INodeExecutionData | undefined> {
	if (!entry.approval) return undefined;
	return await answeredBefore(context, client, entry as PreparedApprovalAnswer, itemIndex);
}

/** Callback URL option: starts the run in the background and puts it out at once. */
export async function sendWithCallbackUrl(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedMessage,
	itemIndex: number,
	callbackUrl: string,
): Promise<INodeExecutionData> {
	const answered = await answeredBeforeAsync(context, client, entry, itemIndex);
	if (answered) return answered;
	const run = await startAsyncRun(
		client,
		asyncAgentId(context, entry, itemIndex),
		entry.request.body as IDataObject,
		callbackUrl,
		itemIndex,
	);
	return {
		json: {
			run_id: run.id,
			status: run.status,
			agent_id: entry.agentId,
			conversation_id: entry.conversationId ?? null,
			callback_url: callbackUrl,
		},
		pairedItem: { item: itemIndex },
	};
}
