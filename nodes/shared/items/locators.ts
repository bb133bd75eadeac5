import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	AGENT_ID_EXAMPLE,
	agentIdFromUrl,
	CONVERSATION_ID_EXAMPLE,
	isAgentId,
	isConversationId,
} from '../api/ids';
import { readItemParameter } from './itemParameter';

/** Reads a resource locator (or a plain string from an expression) as `{mode, value}`. */
function readLocator(context: IExecuteFunctions, name: string, itemIndex: number) {
	const raw = readItemParameter(context, name, itemIndex, '', { extractValue: false }) as
		| INodeParameterResourceLocator
		| string
		| undefined;
	if (raw && typeof raw === 'object') {
		return { mode: String(raw.mode ?? 'id'), value: String(raw.value ?? '').trim() };
	}
	return { mode: 'id', value: String(raw ?? '').trim() };
}

/** The agent id of an item, checked against Letta's id format before any request is made. */
export function resolveAgentId(
	context: IExecuteFunctions,
	itemIndex: number,
	name = 'agentId',
): string {
	const { mode, value } = readLocator(context, name, itemIndex);
	if (!value) {
		throw new NodeOperationError(context.getNode(), `No agent given [item ${itemIndex}]`, {
			itemIndex,
			description:
				'Pick an agent from the list, or give its ID (agent-<uuid>) or its Letta app URL.',
		});
	}
	const agentId = mode === 'url' ? (agentIdFromUrl(value) ?? '') : value;
	if (!isAgentId(agentId)) {
		throw new NodeOperationError(
			context.getNode(),
			mode === 'url'
				? `"${value}" is not a Letta agent URL [item ${itemIndex}]`
				: `"${value}" is not a Letta agent ID [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Agent IDs look like ${AGENT_ID_EXAMPLE}; agent URLs look like https://app.letta.com/agents/${AGENT_ID_EXAMPLE}.`,
			},
		);
	}
	return agentId;
}

/** The optional conversation id of an item: undefined means the agent's default conversation. */
export function resolveConversationId(
	context: IExecuteFunctions,
	itemIndex: number,
	name = 'conversationId',
): string | undefined {
	const { value } = readLocator(context, name, itemIndex);
	if (!value || value === 'default') return undefined;
	if (!isConversationId(value)) {
		throw new NodeOperationError(
			context.getNode(),
			`"${value}" is not a Letta conversation ID [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Conversation IDs look like ${CONVERSATION_ID_EXAMPLE}. Leave the field empty to use the agent's default conversation.`,
			},
		);
	}
	return value;
}
