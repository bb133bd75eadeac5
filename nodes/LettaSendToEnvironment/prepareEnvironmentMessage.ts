import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import {
	environmentSendBodySchema,
	type EnvironmentMessage,
	type EnvironmentSendBody,
} from '../shared/api/environmentSchemas';
import { contentText } from '../shared/api/messages';
import { describeZodError } from '../shared/api/validate';
import { readApprovalAnswer } from '../shared/approvals/readApprovalAnswer';
import { resolveAgentId, resolveConversationId } from '../shared/items/locators';
import {
	itemInputError,
	JSON_MESSAGES_EXAMPLE,
	readJsonParameter,
	readMessageText,
	readTimeoutMs,
} from '../shared/items/parameters';
import { connectionRefKey, type ConnectionRef } from './connection';
import { messageIds, type MessageIdSeed } from './messageIds';
import { MESSAGE_INPUT_PARAMETER } from '../shared/ui/messageInput';
import { CONNECTION_MODE, MESSAGE_INPUT } from './properties';

/** The ids a send carries, output with the result and used to find the reply. */
export interface SentIds extends IDataObject {
	client_message_ids: string[];
	otids: string[];
	tool_call_ids: string[];
}

export interface PreparedEnvironmentSend {
	connection: ConnectionRef;
	agentId?: string;
	conversationId?: string;
	body: EnvironmentSendBody;
	sent: SentIds;
	/** The text of the user messages sent, to recognise them when a server drops the otid. */
	texts: string[];
	/** Set when the node waits for the reply. */
	replyTimeoutMs?: number;
}

export function readConnectionRef(context: IExecuteFunctions, itemIndex: number): ConnectionRef {
	const raw = context.getNodeParameter('connection', itemIndex, '', { extractValue: false }) as
		| INodeParameterResourceLocator
		| string
		| undefined;
	const mode =
		raw && typeof raw === 'object'
			? String(raw.mode ?? CONNECTION_MODE.connectionId)
			: CONNECTION_MODE.connectionId;
	const value = String((raw && typeof raw === 'object' ? raw.value : raw) ?? '').trim();
	if (!value) {
		throw itemInputError(
			context,
			itemIndex,
			'No environment connection given',
			'Pick a connection from the list, or give a device ID or a connection ID (GET /v1/environments lists them).',
		);
	}
	return mode === CONNECTION_MODE.connectionId
		? { by: 'connection', connectionId: value }
		: { by: 'device', deviceId: value };
}

/** An optional agent locator: empty means the environment's default agent. */
function readOptionalAgentId(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = context.getNodeParameter('agentId', itemIndex, '', { extractValue: false }) as
		| INodeParameterResourceLocator
		| string
		| undefined;
	const value = raw && typeof raw === 'object' ? raw.value : raw;
	return String(value ?? '').trim() ? resolveAgentId(context, itemIndex) : undefined;
}

function idSeed(context: IExecuteFunctions, itemIndex: number): MessageIdSeed {
	return {
		workflowId: String(context.getWorkflow().id ?? ''),
		executionId: context.getExecutionId() ?? '',
		nodeId: context.getNode().id ?? context.getNode().name,
		itemIndex,
	};
}

function readJsonMessages(context: IExecuteFunctions, itemIndex: number): unknown[] {
	const value = readJsonParameter(
		context,
		itemIndex,
		'messagesJson',
		'Messages (JSON)',
		JSON_MESSAGES_EXAMPLE,
	);
	if (Array.isArray(value)) return value;
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const extra = Object.keys(value).filter((key) => key !== 'messages');
		const { messages } = value as { messages?: unknown };
		if (extra.length === 0 && Array.isArray(messages)) return messages;
		if (extra.length > 0) {
			throw itemInputError(
				context,
				itemIndex,
				`"Messages (JSON)" may only hold "messages", not ${extra.map((key) => `"${key}"`).join(', ')}`,
				'The agent and the conversation come from the node fields of the same names.',
			);
		}
	}
	throw itemInputError(
		context,
		itemIndex,
		'"Messages (JSON)" has no "messages" array',
		'Give an object such as {"messages":[{"role":"user","content":"Hello"}]}, or a bare array of messages.',
	);
}

/** Fills in the ids the spec requires of a user message, when the JSON leaves them out. */
function withMessageIds(message: unknown, seed: MessageIdSeed, index: number): unknown {
	if (!message || typeof message !== 'object' || Array.isArray(message)) return message;
	const record = message as IDataObject;
	if (record.type === 'approval' || 'approvals' in record) return message;
	const ids = messageIds(seed, index);
	return {
		...record,
		client_message_id: record.client_message_id ?? ids.clientMessageId,
		otid: record.otid ?? ids.otid,
	};
}

function readMessages(
	context: IExecuteFunctions,
	itemIndex: number,
	mode: string,
): { messages: unknown[]; scope?: { agentId: string; conversationId?: string } } {
	const seed = idSeed(context, itemIndex);
	if (mode === MESSAGE_INPUT.answerApproval) {
		const { answerTo, message } = readApprovalAnswer(context, itemIndex);
		return {
			messages: [message],
			scope: { agentId: answerTo.agent_id, conversationId: answerTo.conversation_id ?? undefined },
		};
	}
	if (mode === MESSAGE_INPUT.json) {
		return {
			messages: readJsonMessages(context, itemIndex).map((message, index) =>
				withMessageIds(message, seed, index),
			),
		};
	}
	const text = readMessageText(context, itemIndex);
	const otid = String(context.getNodeParameter('options.otid', itemIndex, '') ?? '').trim();
	const ids = messageIds(seed, 0);
	return {
		messages: [
			{
				role: 'user',
				content: text,
				client_message_id: ids.clientMessageId,
				otid: otid || ids.otid,
			},
		],
	};
}

export function sentIds(messages: EnvironmentMessage[]): { sent: SentIds; texts: string[] } {
	const sent: SentIds = { client_message_ids: [], otids: [], tool_call_ids: [] };
	const texts: string[] = [];
	for (const message of messages) {
		if ('approvals' in message) {
			sent.tool_call_ids.push(...message.approvals.map((approval) => approval.tool_call_id));
		} else {
			sent.client_message_ids.push(message.client_message_id);
			if (message.otid) sent.otids.push(message.otid);
			texts.push(contentText(message.content));
		}
	}
	return { sent, texts };
}

/** Maps one item onto a validated environment send; throws a NodeOperationError naming the item. */
export function prepareEnvironmentMessage(
	context: IExecuteFunctions,
	itemIndex: number,
): PreparedEnvironmentSend {
	const connection = readConnectionRef(context, itemIndex);
	const mode = context.getNodeParameter(MESSAGE_INPUT_PARAMETER, itemIndex) as string;
	const { messages, scope } = readMessages(context, itemIndex, mode);
	const agentId = scope ? scope.agentId : readOptionalAgentId(context, itemIndex);
	const conversationId = scope ? scope.conversationId : resolveConversationId(context, itemIndex);

	const checked = environmentSendBodySchema.safeParse({
		messages,
		...(agentId ? { agentId } : {}),
		...(conversationId ? { conversationId } : {}),
	});
	if (!checked.success) {
		throw itemInputError(
			context,
			itemIndex,
			`${mode === MESSAGE_INPUT.json ? '"Messages (JSON)"' : 'The message'} does not match the Letta API: ${describeZodError(checked.error)}`,
			'A user message is {"role": "user", "content": "text" or [{"type": "text", "text": "..."}], "client_message_id": "...", "otid": "..."}; an approval answer is {"type": "approval", "approvals": [{"tool_call_id": "...", "approve": true} or {"tool_call_id": "...", "tool_return": "...", "status": "success"}]}. Message fields are snake_case, as the Letta API names them.',
		);
	}

	const waitForReply = context.getNodeParameter('waitForReply', itemIndex, false) as boolean;
	if (waitForReply && !agentId && !conversationId) {
		throw itemInputError(
			context,
			itemIndex,
			'Wait for Reply needs an agent or a conversation',
			"The reply is read from the conversation's messages, so the node must know which one: set Agent or Conversation (the environment's default agent is not visible through the API), or turn Wait for Reply off.",
		);
	}
	return {
		connection,
		agentId,
		conversationId,
		body: checked.data,
		...sentIds(checked.data.messages),
		replyTimeoutMs: waitForReply
			? readTimeoutMs(context, itemIndex, 'replyTimeoutSeconds', 'Reply Timeout (Seconds)')
			: undefined,
	};
}

/** Sends to one connection and conversation go one at a time, in item order. */
export function environmentLane(entry: PreparedEnvironmentSend): string {
	return `${connectionRefKey(entry.connection)}/${entry.agentId ?? 'default-agent'}/${entry.conversationId ?? 'default'}`;
}
