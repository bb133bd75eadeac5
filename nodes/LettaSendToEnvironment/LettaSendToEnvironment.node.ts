import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runItemsInLanes } from '../shared/items/runner';
import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import { searchEnvironments } from '../shared/methods/searchEnvironments';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import { ConnectionLookup, requireOnline } from './connection';
import {
	environmentLane,
	prepareEnvironmentMessage,
	type PreparedEnvironmentSend,
} from './prepareEnvironmentMessage';
import { sendToEnvironmentProperties } from './properties';
import { sendEnvironmentMessage } from './sendEnvironmentMessage';

export class LettaSendToEnvironment implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta: Send to Environment',
		name: 'lettaSendToEnvironment',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ "to " + ($parameter["connection"].cachedResultName || $parameter["connection"].value || "environment") }}',
		description:
			'Send a message or an approval answer to a Letta agent running in a Letta Code environment, and optionally wait for its reply',
		defaults: { name: 'Send to Environment' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Completed', 'Needs Approval'],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		properties: sendToEnvironmentProperties,
	};

	methods = {
		listSearch: { searchEnvironments, searchAgents, searchConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await createLettaClient(this);
		const connections = new ConnectionLookup(client);
		return await runItemsInLanes<PreparedEnvironmentSend>(this, {
			prepare: (itemIndex) => prepareEnvironmentMessage(this, itemIndex),
			lane: environmentLane,
			send: async (entry, itemIndex) => {
				const { connection, at } = await connections.get(entry.connection, itemIndex);
				const connectionId = requireOnline(
					this.getNode(),
					entry.connection,
					connection,
					itemIndex,
					at,
				);
				const json = await sendEnvironmentMessage(
					this,
					client,
					entry,
					connectionId,
					connection,
					itemIndex,
				);
				return { json, pairedItem: { item: itemIndex } };
			},
		});
	}
}
