import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runItemsInLanes } from '../shared/items/runner';
import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import { shapeAgentReply } from '../shared/items/reply';
import { parseLettaResponse } from '../shared/items/output';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import { sendApprovalAnswer, type PreparedApprovalAnswer } from './sendApprovalAnswer';
import { prepareMessage, type PreparedMessage } from './prepareMessage';
import { sendAgentMessageProperties } from './properties';

export class LettaSendAgentMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta: Send Agent Message',
		name: 'lettaSendAgentMessage',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["messageInput"] === "answerApproval" ? "answer approval" : "to " + ($parameter["agentId"].cachedResultName || $parameter["agentId"].value || "agent") }}',
		description:
			'Send a message to a Letta agent and get its reply, or route it to a human when it asks for a tool approval',
		defaults: { name: 'Send Agent Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Completed', 'Needs Approval'],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		properties: sendAgentMessageProperties,
	};

	methods = {
		listSearch: { searchAgents, searchConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await createLettaClient(this);
		return await runItemsInLanes<PreparedMessage>(this, {
			prepare: async (itemIndex) => await prepareMessage(this, itemIndex),
			lane: (entry) => `${entry.agentId}/${entry.conversationId ?? 'default'}`,
			send: async (entry, itemIndex) => {
				if (entry.approval) {
					return await sendApprovalAnswer(this, client, entry as PreparedApprovalAnswer, itemIndex);
				}
				const raw = await client.request<unknown>(entry.request, {
					itemIndex,
					agentId: entry.agentId,
					resource: entry.conversationId
						? `conversation ${entry.conversationId} (agent ${entry.agentId})`
						: `agent ${entry.agentId}`,
				});
				const response = parseLettaResponse(this, raw, itemIndex);
				return { json: shapeAgentReply(response, entry), pairedItem: { item: itemIndex } };
			},
		});
	}
}
