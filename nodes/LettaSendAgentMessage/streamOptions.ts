import type { INodeProperties } from 'n8n-workflow';

export const streamResponseOption: INodeProperties = {
	displayName: 'Stream Response',
	name: 'streamResponse',
	type: 'boolean',
	default: true,
	description:
		'Whether to stream the agent\'s reply as it is written when the workflow streams its answer (a Chat Trigger or a Webhook with Response Mode "Streaming"); elsewhere it changes nothing. The output item is the same either way.',
};

export const streamToolActivityOption: INodeProperties = {
	displayName: 'Show Tool Activity',
	name: 'streamToolActivity',
	type: 'boolean',
	default: false,
	description:
		'Whether a streamed reply also shows a short line for each tool the agent calls (reasoning is never shown)',
};
