import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchEnvironments } from '../shared/methods/searchEnvironments';
import {
	CONNECTION_LOOKUP_TTL_MS,
	connectionRefKey,
	lookUpConnection,
	requireOnline,
} from '../shared/api/environments';
import type { EnvironmentConnection } from '../shared/api/environmentSchemas';
import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import { runItemsInLanes } from '../shared/items/runner';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import {
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
		const node = this.getNode();

		// A connection is looked up once per connection and reused while fresh: waiting for
		// replies can take minutes, and the heartbeat must be judged from a recent reading.
		const found = new Map<string, { connection: EnvironmentConnection | undefined; at: number }>();
		const lookUp = async (entry: PreparedEnvironmentSend, itemIndex: number) => {
			const key = connectionRefKey(entry.connection);
			const cached = found.get(key);
			if (cached && Date.now() - cached.at < CONNECTION_LOOKUP_TTL_MS) return cached;
			const fresh = {
				connection: await lookUpConnection(client, node, entry.connection, itemIndex),
				at: Date.now(),
			};
			found.set(key, fresh);
			return fresh;
		};

		return await runItemsInLanes<PreparedEnvironmentSend>(this, {
			prepare: (itemIndex) => prepareEnvironmentMessage(this, itemIndex),
			// Sends to one connection and conversation go one at a time, in item order.
			lane: (entry) =>
				`${connectionRefKey(entry.connection)}/${entry.agentId ?? 'default-agent'}/${entry.conversationId ?? 'default'}`,
			send: async (entry, itemIndex) => {
				const { connection, at } = await lookUp(entry, itemIndex);
				const connectionId = requireOnline(node, entry.connection, connection, itemIndex, at);
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
