import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isAgentId } from '../api/ids';
import { createLettaClient } from '../transport/request';

/** Dropdown searches for resource locators. Letta pages with `after` = last id. */

export const LIST_PAGE_SIZE = 50;

interface AgentSummary {
	id: string;
	name?: string;
	tags?: string[];
}

interface ConversationSummary {
	id: string;
	summary?: string | null;
	last_message_at?: string | null;
	created_at?: string | null;
}

function nextPageToken<T extends { id: string }>(page: T[]): string | undefined {
	return page.length === LIST_PAGE_SIZE ? page[page.length - 1].id : undefined;
}

export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await createLettaClient(this);
	const qs: IDataObject = { limit: LIST_PAGE_SIZE };
	if (filter) qs.query_text = filter;
	if (paginationToken) qs.after = paginationToken;
	const agents = await client.request<AgentSummary[]>({ method: 'GET', path: '/v1/agents/', qs });
	return {
		results: agents.map((agent) => ({
			name: agent.tags?.length
				? `${agent.name ?? agent.id} (${agent.tags.join(', ')})`
				: (agent.name ?? agent.id),
			value: agent.id,
		})),
		paginationToken: nextPageToken(agents),
	};
}

export async function searchConversations(
	this: ILoadOptionsFunctions,
	_filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const agentId = String(this.getCurrentNodeParameter('agentId', { extractValue: true }) ?? '');
	if (!isAgentId(agentId)) return { results: [] };
	const client = await createLettaClient(this);
	const qs: IDataObject = { agent_id: agentId, limit: LIST_PAGE_SIZE };
	if (paginationToken) qs.after = paginationToken;
	const conversations = await client.request<ConversationSummary[]>({
		method: 'GET',
		path: '/v1/conversations/',
		qs,
	});
	return {
		results: conversations.map((conversation) => ({
			name:
				conversation.summary ||
				`${conversation.id} (${conversation.last_message_at ?? conversation.created_at ?? 'new'})`,
			value: conversation.id,
		})),
		paginationToken: nextPageToken(conversations),
	};
}
