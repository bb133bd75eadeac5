import type { INodeProperties } from 'n8n-workflow';

import {
	AGENT_ID_EXAMPLE,
	AGENT_ID_PATTERN,
	AGENT_URL_PATTERN,
	CONVERSATION_ID_EXAMPLE,
	CONVERSATION_ID_PATTERN,
} from '../api/ids';
import { MESSAGE_TYPES } from '../api/messageSchemas';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MIN_CONCURRENCY } from '../items/scheduler';
import {
	DEFAULT_TIMEOUT_SECONDS,
	MAX_TIMEOUT_SECONDS,
	MIN_TIMEOUT_SECONDS,
} from '../transport/request';

/** UI fields shared by several Letta nodes. */

export const agentLocator: INodeProperties = {
	displayName: 'Agent',
	name: 'agentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: `The Letta agent to talk to. Its ID looks like ${AGENT_ID_EXAMPLE}.`,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an agent...',
			typeOptions: { searchListMethod: 'searchAgents', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: AGENT_ID_EXAMPLE,
			validation: [
				{
					type: 'regex',
					properties: {
						regex: AGENT_ID_PATTERN,
						errorMessage: 'Not a Letta agent ID: it looks like agent-<uuid>',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: `https://app.letta.com/agents/${AGENT_ID_EXAMPLE}`,
			extractValue: { type: 'regex', regex: AGENT_URL_PATTERN },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: AGENT_URL_PATTERN,
						errorMessage: 'Not a Letta agent URL: copy it from the agent page in the Letta app',
					},
				},
			],
		},
	],
};

export const conversationLocator: INodeProperties = {
	displayName: 'Conversation',
	name: 'conversationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: `Optional. A conversation of the agent to send to (its ID looks like ${CONVERSATION_ID_EXAMPLE}); leave empty for the agent's default conversation.`,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: "Agent's default conversation",
			typeOptions: { searchListMethod: 'searchConversations', searchable: false },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: CONVERSATION_ID_EXAMPLE,
			validation: [
				{
					type: 'regex',
					properties: {
						regex: CONVERSATION_ID_PATTERN,
						errorMessage: 'Not a Letta conversation ID: it looks like conv-<uuid>',
					},
				},
			],
		},
	],
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: MIN_CONCURRENCY, maxValue: MAX_CONCURRENCY },
	description:
		'How many items to send at once. Items for the same agent and conversation always go one at a time, in item order, because Letta refuses parallel requests on one conversation.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	default: DEFAULT_TIMEOUT_SECONDS,
	typeOptions: { minValue: MIN_TIMEOUT_SECONDS, maxValue: MAX_TIMEOUT_SECONDS },
	description:
		'How long to wait for the agent to answer one item. A timed-out message is not resent, because the agent may still be working on it.',
};

export const messageRequestOptions: INodeProperties[] = [
	{
		displayName: 'Max Steps',
		name: 'maxSteps',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'The most steps (LLM calls and tool runs) the agent may take for this message',
	},
	{
		displayName: 'Return Message Types',
		name: 'returnMessageTypes',
		type: 'multiOptions',
		default: [],
		description: 'Only return these message types in "messages". Empty returns all of them.',
		options: [
			{ name: 'Approval Request Message', value: 'approval_request_message' },
			{ name: 'Approval Response Message', value: 'approval_response_message' },
			{ name: 'Assistant Message', value: 'assistant_message' },
			{ name: 'Event Message', value: 'event_message' },
			{ name: 'Hidden Reasoning Message', value: 'hidden_reasoning_message' },
			{ name: 'Reasoning Message', value: 'reasoning_message' },
			{ name: 'Summary Message', value: 'summary_message' },
			{ name: 'System Message', value: 'system_message' },
			{ name: 'Tool Call Message', value: 'tool_call_message' },
			{ name: 'Tool Return Message', value: 'tool_return_message' },
			{ name: 'User Message', value: 'user_message' },
		] satisfies Array<{ name: string; value: (typeof MESSAGE_TYPES)[number] }>,
	},
	{
		displayName: 'Enable Thinking',
		name: 'enableThinking',
		type: 'boolean',
		default: true,
		description: 'Whether the agent reasons before it answers or calls a tool',
	},
	{
		displayName: 'Use Assistant Message',
		name: 'useAssistantMessage',
		type: 'boolean',
		default: true,
		description:
			'Whether Letta turns the send_message tool call of older agent types into assistant messages (the reply text)',
	},
];
