import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	agentIdFromUrl,
	AGENT_ID_EXAMPLE,
	isAgentId,
	isConversationId,
} from '../../../shared/api/ids';
import { itemInputError } from '../../../shared/items/parameters';

/** The agent and conversation filters of the run listings (both optional). */

export const agentFilterField: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	default: '',
	placeholder: AGENT_ID_EXAMPLE,
	description: "Only this agent's runs: its ID or its Letta app URL",
};

export const conversationFilterField: INodeProperties = {
	displayName: 'Conversation ID',
	name: 'conversationId',
	type: 'string',
	default: '',
	placeholder: 'conv-…',
	description: "Only this conversation's runs, by its ID",
};

export interface RunScopeFilter {
	agent_id?: string;
	conversation_id?: string;
}

/** Reads `filters.agentId` / `filters.conversationId`, checked like the locators check them. */
export function readRunScopeFilter(
	context: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
): RunScopeFilter {
	const scope: RunScopeFilter = {};
	const agent = String(filters.agentId ?? '').trim();
	if (agent) {
		const agentId = agentIdFromUrl(agent) ?? agent;
		if (!isAgentId(agentId))
			throw itemInputError(
				context,
				itemIndex,
				`"${agent}" is not a Letta agent ID`,
				`Agent IDs look like ${AGENT_ID_EXAMPLE}; leave the filter out for every agent's runs.`,
			);
		scope.agent_id = agentId;
	}
	const conversation = String(filters.conversationId ?? '').trim();
	if (conversation) {
		if (!isConversationId(conversation))
			throw itemInputError(
				context,
				itemIndex,
				`"${conversation}" is not a Letta conversation ID`,
				'Conversation IDs look like conv-<uuid>; leave the filter out for every conversation.',
			);
		scope.conversation_id = conversation;
	}
	return scope;
}
