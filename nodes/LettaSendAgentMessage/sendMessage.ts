import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resourceName } from '../shared/api/messages';
import { waitForActiveRunsToEnd } from '../shared/api/runs';
import { laneBlockedError } from '../shared/transport/errors';
import { readItemParameter } from '../shared/items/itemParameter';
import { shapeAgentReply } from '../shared/items/reply';
import type { LettaClient } from '../shared/transport/request';
import { openChatStream, type ChatStream } from '../shared/waiting/chatStream';
import { deliverAndWait, type Delivered, type WaitSession } from '../shared/waiting/deliver';
import type { PreparedMessage, SendOptions } from './prepareMessage';
import { sendApprovalAnswer, type PreparedApprovalAnswer } from './sendApprovalAnswer';

/** Sends one prepared item in its wait mode and waits for its run to end (up to its Timeout). */
export async function sendAndWait(
	client: LettaClient,
	entry: PreparedMessage,
	itemIndex: number,
	session: WaitSession,
	chat?: ChatStream,
): Promise<Delivered> {
	const timeoutMs = entry.request.timeoutMs ?? 0;
	const delivered = await deliverAndWait(
		client,
		{
			scope: { agentId: entry.agentId, conversationId: entry.conversationId },
			fields: entry.fields,
			plainRequest: entry.request,
			mode: entry.waitMode,
			cancelOnTimeout: entry.cancelOnTimeout,
			timeoutMs,
			deadline: Date.now() + timeoutMs,
			itemIndex,
			...(chat ? { onChunk: (chunk) => chat.onChunk(chunk) } : {}),
		},
		session,
	);
	// Waited without a stream (another wait mode, or a fallback): the chat gets the reply whole.
	if (chat && !chat.heard) chat.whole(delivered.response);
	return delivered;
}

/** The output item of a delivered message: the reply, its run, and a notice when there is one. */
export function deliveredJson(delivered: Delivered, entry: PreparedMessage) {
	const reply = shapeAgentReply(delivered.response, entry);
	return {
		...reply,
		run_id: reply.run_id ?? delivered.runId,
		...(delivered.notice ? { notice: delivered.notice } : {}),
	};
}

/** Sends one prepared item: an approval answer (checked against live state first) or a message. */
export async function sendPreparedMessage(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedMessage,
	itemIndex: number,
	session: WaitSession,
): Promise<INodeExecutionData> {
	const options = readItemParameter(context, 'options', itemIndex, {}) as SendOptions;
	const chat = openChatStream(context, itemIndex, options);
	try {
		if (entry.approval) {
			return await sendApprovalAnswer(
				context,
				client,
				entry as PreparedApprovalAnswer,
				itemIndex,
				session,
				chat,
			);
		}
		const delivered = await sendAndWait(client, entry, itemIndex, session, chat);
		return { json: deliveredJson(delivered, entry), pairedItem: { item: itemIndex } };
	} finally {
		chat?.end();
	}
}

/**
 * Before the next item of a lane whose previous item timed out or was cut off: waits (up to
 * that item's Timeout) until no run is going on its agent and conversation, so two runs never
 * overlap. Returns the error every later item of the lane fails with when a run is still going.
 */
export async function settleLane(
	context: IExecuteFunctions,
	client: LettaClient,
	failed: PreparedMessage,
	failedItem: number,
): Promise<((itemIndex: number) => Error) | undefined> {
	const scope = { agentId: failed.agentId, conversationId: failed.conversationId };
	const waitedMs = failed.request.timeoutMs ?? 0;
	const running = await waitForActiveRunsToEnd(client, scope, waitedMs, failedItem);
	if (running.length === 0) return undefined;
	const blocked = {
		previousItem: failedItem,
		runIds: running,
		resource: resourceName(scope),
		waitedMs,
	};
	return (itemIndex) => laneBlockedError(context.getNode(), blocked, itemIndex);
}
