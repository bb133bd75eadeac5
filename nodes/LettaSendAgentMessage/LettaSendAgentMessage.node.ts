import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchAgents, searchConversations } from '../Letta/listSearch';
import { shapeAgentReply } from '../Letta/mapping';
import { asNodeError, errorItem, parseLettaResponse, routeReplies } from '../Letta/output';
import { DEFAULT_CONCURRENCY, runKeyedInOrder } from '../Letta/scheduler';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../Letta/transport';
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
		description: 'Send a message to a Letta agent and get its reply, or route it to a human when it asks for a tool approval',
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
		const items = this.getInputData();
		const continueOnFail = this.continueOnFail();
		const client = await createLettaClient(this);

		// Every item is mapped before anything is sent, so bad input costs no agent run.
		const prepared: Array<PreparedMessage | Error> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push(await prepareMessage(this, itemIndex));
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this, error, itemIndex);
				prepared.push(error as Error);
			}
		}

		const lanes = prepared.map((entry, itemIndex) =>
			entry instanceof Error ? `invalid:${itemIndex}` : `${entry.agentId}/${entry.conversationId ?? 'default'}`,
		);
		const concurrency = this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY) as number;

		const results = await runKeyedInOrder(lanes, concurrency, async (itemIndex) => {
			const entry = prepared[itemIndex];
			if (entry instanceof Error) return errorItem(entry, itemIndex);
			try {
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
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this, error, itemIndex);
				return errorItem(error as Error, itemIndex);
			}
		});

		return routeReplies(results);
	}
}
