import type { INodeProperties } from 'n8n-workflow';

import { approvalAnswerProperties } from '../shared/ui/approvalAnswerFields';
import {
	ANSWER_APPROVAL_INPUT,
	hiddenWhenAnsweringApproval,
	MESSAGE_INPUT_PARAMETER,
	showForMessageInput,
} from '../shared/ui/messageInput';
import {
	agentLocator,
	concurrencyOption,
	conversationLocator,
	messageRequestOptions,
	timeoutOption,
} from '../shared/ui/fields';
import { cancelOnTimeoutOption, waitModeOption } from '../shared/ui/waitFields';
import { streamResponseOption, streamToolActivityOption } from './streamOptions';
import { callbackDeadlineOption, callbackUrlOption } from './waitOptions';

export const MESSAGE_INPUT = {
	text: 'text',
	textAndImages: 'textAndImages',
	json: 'json',
	answerApproval: ANSWER_APPROVAL_INPUT,
} as const;

export const sendAgentMessageProperties: INodeProperties[] = [
	{ ...agentLocator, displayOptions: hiddenWhenAnsweringApproval },
	{ ...conversationLocator, displayOptions: hiddenWhenAnsweringApproval },
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
				description: 'One message with a role and text',
			},
			{
				name: 'Text and Images',
				value: MESSAGE_INPUT.textAndImages,
				description: "A user message with text and images from the item's binary fields",
			},
			{
				name: 'JSON',
				value: MESSAGE_INPUT.json,
				description: 'A "messages" array or an "input" value, as the Letta API takes them',
			},
			{
				name: 'Answer Approval',
				value: MESSAGE_INPUT.answerApproval,
				description:
					'Approve or deny the tool calls an agent is waiting on, or hand it their results; the agent and conversation come from the approval request',
			},
		],
	},
	{
		displayName:
			'Answers every pending tool call of the request in one call, to the agent or conversation that asked. Map the item of a Letta Trigger or of the Needs Approval output.',
		name: 'answerApprovalNotice',
		type: 'notice',
		default: '',
		displayOptions: showForMessageInput(MESSAGE_INPUT.answerApproval),
	},
	...approvalAnswerProperties(showForMessageInput(MESSAGE_INPUT.answerApproval), {
		withOutput: true,
	}),
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		default: 'user',
		displayOptions: showForMessageInput(MESSAGE_INPUT.text),
		options: [
			{ name: 'User', value: 'user' },
			{ name: 'System', value: 'system' },
			{ name: 'Assistant', value: 'assistant' },
		],
		description: 'Who the message is from, as the agent sees it',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		displayOptions: showForMessageInput(MESSAGE_INPUT.text),
		placeholder: 'e.g. Summarise the open tickets for today',
		description:
			'The message to send to the agent. Write the whole request: the agent sees nothing else of the workflow.',
	},
	{
		displayName: 'Text',
		name: 'imageText',
		type: 'string',
		default: '',
		typeOptions: { rows: 3 },
		displayOptions: showForMessageInput(MESSAGE_INPUT.textAndImages),
		placeholder: 'e.g. What is in this picture?',
		description: 'Text sent before the images (optional)',
	},
	{
		displayName: 'Image Binary Fields',
		name: 'binaryFields',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: showForMessageInput(MESSAGE_INPUT.textAndImages),
		placeholder: 'e.g. data, photo',
		description: "Names of the item's binary fields that hold the images, separated by commas",
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '{\n  "messages": [\n    { "role": "user", "content": "Hello" }\n  ]\n}',
		required: true,
		displayOptions: showForMessageInput(MESSAGE_INPUT.json),
		description:
			'An object with "messages" (an array of Letta messages) or "input" (text or content parts). A bare array is read as "messages".',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			concurrencyOption,
			...messageRequestOptions,
			{
				displayName: 'Sender Name',
				name: 'senderName',
				type: 'string',
				default: '',
				description: 'A name for the sender of a Text or Text and Images message (optional)',
			},
			timeoutOption,
			cancelOnTimeoutOption,
			waitModeOption,
			callbackDeadlineOption,
			callbackUrlOption,
			streamResponseOption,
			streamToolActivityOption,
		],
	},
];
