import type { INodeProperties } from 'n8n-workflow';

import { approvalAnswerProperties } from '../shared/ui/approvalAnswerFields';
import {
	ANSWER_APPROVAL_INPUT,
	hiddenWhenAnsweringApproval,
	MESSAGE_INPUT_PARAMETER,
	showForMessageInput,
} from '../shared/ui/messageInput';
import { agentLocator, concurrencyOption, conversationLocator } from '../shared/ui/fields';
import { SHOW_OFFLINE_OPTION } from '../shared/methods/searchEnvironments';
import { ONLINE_WINDOW_SECONDS } from '../shared/api/environments';
import {
	DEFAULT_TIMEOUT_SECONDS,
	MAX_TIMEOUT_SECONDS,
	MIN_TIMEOUT_SECONDS,
} from '../shared/transport/request';

export const MESSAGE_INPUT = {
	text: 'text',
	answerApproval: ANSWER_APPROVAL_INPUT,
	json: 'json',
} as const;

/** Resource locator modes of the Connection field. */
export const CONNECTION_MODE = {
	list: 'list',
	deviceId: 'deviceId',
	connectionId: 'id',
} as const;

const connectionLocator: INodeProperties = {
	displayName: 'Connection',
	name: 'connection',
	type: 'resourceLocator',
	default: { mode: CONNECTION_MODE.list, value: '' },
	required: true,
	description:
		'The Letta Code environment (a device running the Letta Code listener) to send to. Picking from the list or by device ID follows the device across Letta Code sessions; a connection ID changes with each session.',
	modes: [
		{
			displayName: 'From List',
			name: CONNECTION_MODE.list,
			type: 'list',
			placeholder: 'Select a connection...',
			typeOptions: { searchListMethod: 'searchEnvironments', searchable: true },
		},
		{
			displayName: 'By Device ID',
			name: CONNECTION_MODE.deviceId,
			type: 'string',
			placeholder: 'e.g. device-alice-laptop',
		},
		{
			displayName: 'By Connection ID',
			name: CONNECTION_MODE.connectionId,
			type: 'string',
			placeholder: 'e.g. conn-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
		},
	],
};

export const sendToEnvironmentProperties: INodeProperties[] = [
	connectionLocator,
	{
		displayName: 'Message Input',
		name: MESSAGE_INPUT_PARAMETER,
		type: 'options',
		noDataExpression: true,
		default: 'text',
		options: [
			{
				name: 'Text',
				value: MESSAGE_INPUT.text,
				description: 'A user message',
			},
			{
				name: 'Answer Approval',
				value: MESSAGE_INPUT.answerApproval,
				description: 'Approve or deny a pending tool call, or hand the agent its result',
			},
			{
				name: 'JSON',
				value: MESSAGE_INPUT.json,
				description: 'A "messages" array, as the environments API takes it',
			},
		],
	},
	{
		...agentLocator,
		required: false,
		displayOptions: hiddenWhenAnsweringApproval,
		description:
			"Optional. The agent that answers; leave empty for the environment's default agent. Wait for Reply needs an agent or a conversation.",
	},
	{ ...conversationLocator, displayOptions: hiddenWhenAnsweringApproval },
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		displayOptions: showForMessageInput(MESSAGE_INPUT.text),
		placeholder: 'e.g. Run the test suite and summarise the failures',
		description: 'The user message to send to the agent in the environment',
	},
	...approvalAnswerProperties(showForMessageInput(MESSAGE_INPUT.answerApproval), {
		withUpdatedInput: true,
		withOutput: true,
	}),
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '{\n  "messages": [\n    { "role": "user", "content": "Hello" }\n  ]\n}',
		required: true,
		displayOptions: showForMessageInput(MESSAGE_INPUT.json),
		description:
			'An object with "messages" (a bare array is read as "messages"): user messages {"role": "user", "content": ..., "client_message_id": ..., "otid": ...} or approval answers {"type": "approval", "approvals": [...]}. Missing client_message_id and otid are filled in.',
	},
	{
		displayName: 'Wait for Reply',
		name: 'waitForReply',
		type: 'boolean',
		default: false,
		description:
			"Whether to wait for the agent's reply. Sending to an environment only confirms delivery; with this on, the node reads the conversation until the agent answers or stops for an approval, and outputs the reply like Send Agent Message.",
	},
	{
		displayName: 'Reply Timeout (Seconds)',
		name: 'replyTimeoutSeconds',
		type: 'number',
		default: DEFAULT_TIMEOUT_SECONDS,
		typeOptions: { minValue: MIN_TIMEOUT_SECONDS, maxValue: MAX_TIMEOUT_SECONDS },
		displayOptions: { show: { waitForReply: [true] } },
		description:
			'How long to wait for the reply to one item. The message is never resent: on timeout the item fails with the IDs that were sent.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			concurrencyOption,
			{
				displayName: 'OTID',
				name: 'otid',
				type: 'string',
				default: '',
				displayOptions: { show: { '/messageInput': [MESSAGE_INPUT.text] } },
				description:
					'Optional. The offline threading ID of the message; one is derived from the execution and item when empty.',
			},
			{
				displayName: 'Show Offline Connections',
				name: SHOW_OFFLINE_OPTION,
				type: 'boolean',
				default: false,
				description: `Whether the Connection list also shows connections that are offline (no live session, or no heartbeat in the last ${ONLINE_WINDOW_SECONDS} s). Sending to an offline connection still fails.`,
			},
		],
	},
];
