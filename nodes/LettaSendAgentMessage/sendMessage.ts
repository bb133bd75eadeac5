import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resourceName, sendMessage } from '../shared/api/messages';
import { waitForActiveRunsToEnd } from '../shared/api/runs';
import { laneBlockedError } from '../shared/transport/errors';
import { shapeAgentReply } from '../shared/items/reply';
import type { LettaClient } from '../shared/transport/request';
import type { PreparedMessage } from './prepareMessage';
import { sendApprovalAnswer, type PreparedApprovalAnswer } from './sendApprovalAnswer';

/** Sends one prepared item: an approval answer (checked against live state first) or a message. */
export async function sendPreparedMessage(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedMessage,
	itemIndex: number,
): Promise<INodeExecutionData> {
	if (entry.approval) {
		return await sendApprovalAnswer(context, client, entry as PreparedApprovalAnswer, itemIndex);
	}
	const response = await sendMessage(client, entry.request, entry, itemIndex);
	return { json: shapeAgentReply(response, entry), pairedItem: { item: itemIndex } };
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
