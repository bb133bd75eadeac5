import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type {
	EnvironmentConnection,
	EnvironmentSendResponse,
} from '../shared/api/environmentSchemas';
import { sendToConnection } from '../shared/api/environments';
import { shapeAgentReply } from '../shared/items/reply';
import type { LettaClient } from '../shared/transport/request';
import { explainEnvironmentError } from './connection';
import type { PreparedEnvironmentSend } from './prepareEnvironmentMessage';
import { ConversationReader, waitForReply } from './waitForReply';

/** Sends one item's message and, when asked, waits for the reply. */
export async function sendEnvironmentMessage(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedEnvironmentSend,
	connectionId: string,
	connection: EnvironmentConnection | undefined,
	itemIndex: number,
): Promise<IDataObject> {
	const node = context.getNode();
	const scope = { agentId: entry.agentId, conversationId: entry.conversationId };
	const reader = entry.replyTimeoutMs
		? new ConversationReader(client, node, scope, itemIndex)
		: undefined;
	// The cursor is taken before sending, so nothing of the reply can land before it.
	const cursor = reader ? await reader.latestMessageId() : null;

	let answer: EnvironmentSendResponse;
	try {
		answer = await sendToConnection(client, connectionId, entry.body, {
			itemIndex,
			agentId: entry.agentId,
			resource: `environment connection ${connectionId}`,
		});
	} catch (error) {
		throw explainEnvironmentError(node, error, connectionId, itemIndex);
	}
	const sent = requireDelivered(node, answer, connectionId, itemIndex);

	const ids: IDataObject = {
		connection_id: connectionId,
		connection_name: connection?.connectionName ?? null,
		device_id: connection?.deviceId ?? null,
		...entry.sent,
	};
	if (!reader || !entry.replyTimeoutMs) {
		return {
			success: sent.success,
			message: sent.message,
			agent_id: entry.agentId ?? null,
			conversation_id: entry.conversationId ?? null,
			...ids,
		};
	}

	const { response, agentId } = await waitForReply(
		reader,
		node,
		itemIndex,
		cursor,
		{ otids: entry.sent.otids, toolCallIds: entry.sent.tool_call_ids, texts: entry.texts },
		{
			timeoutMs: entry.replyTimeoutMs,
			sentDescription: describeSent(entry, connectionId),
			cancelSignal: context.getExecutionCancelSignal(),
		},
	);
	const answeringAgent = entry.agentId ?? agentId;
	const shaped = shapeAgentReply(response, {
		agentId: answeringAgent ?? '',
		conversationId: entry.conversationId,
	});
	return {
		...shaped,
		agent_id: answeringAgent ?? null,
		// Without the agent id an answer could not be addressed; say so rather than emit a broken block.
		answer_to: answeringAgent ? shaped.answer_to : null,
		...ids,
	};
}

/** A refusal in a 200 answer (`success: false`) is an error too: nothing was delivered. */
function requireDelivered(
	node: INode,
	answer: EnvironmentSendResponse,
	connectionId: string,
	itemIndex: number,
): EnvironmentSendResponse {
	if (!answer.success) {
		throw new NodeApiError(
			node,
			{ success: false, message: answer.message },
			{
				message: `Environment connection ${connectionId} did not take the message: ${answer.message || 'no reason given'} [item ${itemIndex}]`,
				description:
					'Nothing was delivered to the agent. Check that Letta Code is running on the device, then run the workflow again.',
				itemIndex,
			},
		);
	}
	return answer;
}

function describeSent(entry: PreparedEnvironmentSend, connectionId: string): string {
	const what = entry.sent.client_message_ids.length
		? `client_message_id ${entry.sent.client_message_ids.join(', ')}`
		: `answer to tool call ${entry.sent.tool_call_ids.join(', ')}`;
	const where = entry.conversationId
		? `conversation ${entry.conversationId}`
		: `the default conversation of agent ${entry.agentId}`;
	return `${what}, to connection ${connectionId}, ${where}`;
}
