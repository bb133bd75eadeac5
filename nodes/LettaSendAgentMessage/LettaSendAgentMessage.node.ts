import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import { runItemsInLanes } from '../shared/items/runner';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import {
	messageLane,
	prepareMessage,
	readSendOptions,
	type PreparedMessage,
} from './prepareMessage';
import { sendAgentMessageProperties } from './properties';
import type { WaitSession } from '../shared/waiting/deliver';
import { WAIT_FOR_CALLBACK } from '../shared/waiting/waitModes';
import { sendPreparedMessage, settleLane } from './sendMessage';
import { sendWithCallbackUrl } from './sendWithCallbackUrl';
import { resumeOnCallback, startCallbackWait } from './waitForCallback';

// A resume webhook (restartWebhook), not a trigger: there is nothing to register at Letta.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
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
		// Wait for Callback: Letta's callbacks resume the waiting execution here.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
	};

	methods = {
		listSearch: { searchAgents, searchConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await createLettaClient(this);
		const options = readSendOptions(this, 0);
		if (options.waitMode === WAIT_FOR_CALLBACK && !options.callbackUrl) {
			return await startCallbackWait(this, client);
		}
		const session: WaitSession = {};
		return await runItemsInLanes<PreparedMessage>(this, {
			prepare: async (itemIndex) => await prepareMessage(this, itemIndex),
			lane: messageLane,
			send: async (entry, itemIndex) => {
				const { callbackUrl } = readSendOptions(this, itemIndex);
				return callbackUrl
					? await sendWithCallbackUrl(this, client, entry, itemIndex, callbackUrl)
					: await sendPreparedMessage(this, client, entry, itemIndex, session);
			},
			settle: async (entry, itemIndex) => await settleLane(this, client, entry, itemIndex),
		});
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback(this);
	}
}
