import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchEnvironments } from '../Letta/environmentListSearch';
import {
	connectionRefKey,
	ENVIRONMENTS_PATH,
	explainEnvironmentError,
	lookUpConnection,
	requireOnline,
} from '../Letta/environments';
import type { EnvironmentConnection } from '../Letta/environmentSchemas';
import { searchAgents, searchConversations } from '../Letta/listSearch';
import { shapeAgentReply } from '../Letta/mapping';
import { asNodeError, errorItem, routeReplies } from '../Letta/output';
import { DEFAULT_CONCURRENCY, runKeyedInOrder } from '../Letta/scheduler';
import { createLettaClient, LETTA_CREDENTIAL_TYPE, type LettaClient } from '../Letta/transport';
import { prepareEnvironmentMessage, type PreparedEnvironmentSend } from './prepareEnvironmentMessage';
import { sendToEnvironmentProperties } from './properties';
import { ConversationReader, waitForReply } from './waitForReply';

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

		// A connection found once is reused for the execution; a failed lookup fails its own item.
		const found = new Map<string, EnvironmentConnection | undefined>();
		const lookUp = async (entry: PreparedEnvironmentSend, itemIndex: number) => {
			const key = connectionRefKey(entry.connection);
			if (!found.has(key)) found.set(key, await lookUpConnection(client, node, entry.connection, itemIndex));
			return found.get(key);
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
				const connection = await lookUp(entry, itemIndex);
				const connectionId = requireOnline(node, entry.connection, connection, itemIndex, Date.now());
				const json = await sendOne(this, client, entry, connectionId, connection, itemIndex);
				return { json, pairedItem: { item: itemIndex } };
			} catch (error) {
				if (!continueOnFail) throw asNodeError(this, error, itemIndex);
				return errorItem(error as Error, itemIndex);
			}
		});

		return routeReplies(results);
	}
}

/** Sends one item's message and, when asked, waits for the reply. */
async function sendOne(
	context: IExecuteFunctions,
	client: LettaClient,
	entry: PreparedEnvironmentSend,
	connectionId: string,
	connection: EnvironmentConnection | undefined,
	itemIndex: number,
): Promise<IDataObject> {
	const node = context.getNode();
	const scope = { agentId: entry.agentId, conversationId: entry.conversationId };
	const reader = entry.replyTimeoutMs ? new ConversationReader(client, node, scope, itemIndex) : undefined;
	// The cursor is taken before sending, so nothing of the reply can land before it.
	const cursor = reader ? await reader.latestMessageId() : null;

	let sent: IDataObject;
	try {
		sent = await client.request<IDataObject>(
			{
				method: 'POST',
				path: `${ENVIRONMENTS_PATH}/${encodeURIComponent(connectionId)}/messages`,
				body: entry.body as IDataObject,
			},
			{ itemIndex, agentId: entry.agentId, resource: `environment connection ${connectionId}` },
		);
	} catch (error) {
		throw explainEnvironmentError(node, error, connectionId, itemIndex);
	}

	const ids: IDataObject = {
		connection_id: connectionId,
		connection_name: connection?.connectionName ?? null,
		device_id: connection?.deviceId ?? null,
		...entry.sent,
	};
	if (!reader || !entry.replyTimeoutMs) {
		return {
			success: sent?.success ?? true,
			message: sent?.message ?? '',
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
	const shaped = shapeAgentReply(response, { agentId: answeringAgent ?? '', conversationId: entry.conversationId });
	return {
		...shaped,
		agent_id: answeringAgent ?? null,
		// Without the agent id an answer could not be addressed; say so rather than emit a broken block.
		answer_to: answeringAgent ? shaped.answer_to : null,
		...ids,
	};
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
