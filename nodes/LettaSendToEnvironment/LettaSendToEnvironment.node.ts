import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchEnvironments } from '../Letta/environmentListSearch';
import {
	CONNECTION_LOOKUP_TTL_MS,
	connectionRefKey,
	lookUpConnection,
	requireOnline,
} from '../Letta/environments';
import type { EnvironmentConnection } from '../Letta/environmentSchemas';
import { searchAgents, searchConversations } from '../Letta/listSearch';
import { asNodeError, errorItem, routeReplies } from '../Letta/output';
import { DEFAULT_CONCURRENCY, runKeyedInOrder } from '../Letta/scheduler';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../Letta/transport';
import { prepareEnvironmentMessage, type PreparedEnvironmentSend } from './prepareEnvironmentMessage';
import { sendToEnvironmentProperties } from './properties';
import { sendEnvironmentMessage } from './sendEnvironmentMessage';

export class LettaSendToEnvironment implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta: Send to Environment',
		name: 'lettaSendToEnvironment',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "to " + ($parameter["connection"].cachedResultName || $parameter["connection"].value || "environment") }}',
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
		const items = this.getInputData();
		const continueOnFail = this.continueOnFail();
		const client = await createLettaClient(this);
		const node = this.getNode();

		// Every item is mapped before anything is sent, so bad input costs no agent run.
		const prepared: Array<PreparedEnvironmentSend | Error> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push(prepareEnvironmentMessage(this, itemIndex));
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this, error, itemIndex);
				prepared.push(error as Error);
			}
		}

		// A connection is looked up once per connection and reused while fresh: waiting for
		// replies can take minutes, and the heartbeat must be judged from a recent reading.
		const found = new Map<string, { connection: EnvironmentConnection | undefined; at: number }>();
		const lookUp = async (entry: PreparedEnvironmentSend, itemIndex: number) => {
			const key = connectionRefKey(entry.connection);
			const cached = found.get(key);
			if (cached && Date.now() - cached.at < CONNECTION_LOOKUP_TTL_MS) return cached;
			const fresh = { connection: await lookUpConnection(client, node, entry.connection, itemIndex), at: Date.now() };
			found.set(key, fresh);
			return fresh;
		};

		// Sends to one connection and conversation go one at a time, in item order.
		const lanes = prepared.map((entry, itemIndex) =>
			entry instanceof Error
				? `invalid:${itemIndex}`
				: `${connectionRefKey(entry.connection)}/${entry.agentId ?? 'default-agent'}/${entry.conversationId ?? 'default'}`,
		);
		const concurrency = this.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY) as number;

		const results = await runKeyedInOrder(lanes, concurrency, async (itemIndex) => {
			const entry = prepared[itemIndex];
			if (entry instanceof Error) return errorItem(entry, itemIndex);
			try {
				const { connection, at } = await lookUp(entry, itemIndex);
				const connectionId = requireOnline(node, entry.connection, connection, itemIndex, at);
				const json = await sendEnvironmentMessage(this, client, entry, connectionId, connection, itemIndex);
				return { json, pairedItem: { item: itemIndex } };
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this, error, itemIndex);
				return errorItem(error as Error, itemIndex);
			}
		});

		return routeReplies(results);
	}
}
