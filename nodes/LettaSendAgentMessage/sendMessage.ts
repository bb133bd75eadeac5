import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { sendMessage } from '../shared/api/messages';
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
