import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listAgents } from '../api/agents';
import { listConversations, type ConversationListQuery } from '../api/conversations';
import { isAgentId } from '../api/ids';
import { nextCursor, pageOfList } from '../transport/paginate';
import { createLettaClient } from '../transport/request';
import { agentOptionName, conversationOptionName } from './optionNames';

/** Dropdown searches for resource locators, one page per call. */

export const LIST_PAGE_SIZE = 50;

export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await createLettaClient(this);
	const agents = await listAgents(client, {
		limit: LIST_PAGE_SIZE,
		...(filter ? { query_text: filter } : {}),
		...(paginationToken ? { after: paginationToken } : {}),
	});
	return {
		results: agents.map((agent) => ({ name: agentOptionName(agent), value: agent.id })),
		paginationToken: nextCursor(pageOfList(agents, LIST_PAGE_SIZE)),
	};
}

export async function searchConversations(
	this: ILoadOptionsFunctions,
	_filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const agentId = String(this.getCurrentNodeParameter('agentId', { extractValue: true }) ?? '');
	if (!isAgentId(agentId)) return { results: [] };
	return await conversationResults(this, { agent_id: agentId }, paginationToken);
}

/** Every agent's conversations, searched by summary: for fields with no agent beside them. */
export async function searchAllConversations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await conversationResults(this, filter ? { summary_search: filter } : {}, paginationToken);
}

async function conversationResults(
	context: ILoadOptionsFunctions,
	query: Pick<ConversationListQuery, 'agent_id' | 'summary_search'>,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const client = await createLettaClient(context);
	const conversations = await listConversations(client, {
		...query,
		limit: LIST_PAGE_SIZE,
		...(paginationToken ? { after: paginationToken } : {}),
	});
	return {
		results: conversations.map((conversation) => ({
			name: conversationOptionName(conversation),
			value: conversation.id,
		})),
		paginationToken: nextCursor(pageOfList(conversations, LIST_PAGE_SIZE)),
	};
}
