import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta conversations: `/v1/conversations/` and `/v1/conversations/{conversation_id}`. */

export const CONVERSATIONS_PATH = '/v1/conversations/';

export const conversationSummarySchema = z
	.object({
		id: z.string(),
		summary: z.string().nullish(),
		last_message_at: z.string().nullish(),
		created_at: z.string().nullish(),
	})
	.passthrough();

export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

const conversationListSchema = z.array(conversationSummarySchema);

export interface ConversationListQuery extends IDataObject {
	/** Without it, every agent's conversations. */
	agent_id?: string;
	limit: number;
	after?: string;
	summary_search?: string;
}

export async function listConversations(
	client: LettaClient,
	qs: ConversationListQuery,
): Promise<ConversationSummary[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: CONVERSATIONS_PATH, qs },
		{ schema: conversationListSchema, what: 'the list of conversations', hint: LETTA_SERVER_HINT },
	);
}

function conversationPath(conversationId: string): string {
	return `${CONVERSATIONS_PATH}${conversationId}`;
}

const what = (conversationId: string) => `conversation ${conversationId}`;

/** CreateConversation (summary only); the agent goes in the query. */
export async function createConversation(
	client: LettaClient,
	agentId: string,
	summary: string | undefined,
	itemIndex?: number,
): Promise<ConversationSummary> {
	return await requestChecked(
		client,
		{
			method: 'POST',
			path: CONVERSATIONS_PATH,
			qs: { agent_id: agentId },
			body: summary === undefined ? {} : { summary },
		},
		{ schema: conversationSummarySchema, what: 'the new conversation', hint: LETTA_SERVER_HINT },
		{ itemIndex, agentId, resource: `agent ${agentId}` },
	);
}

export async function getConversation(
	client: LettaClient,
	conversationId: string,
	itemIndex?: number,
): Promise<ConversationSummary> {
	return await requestChecked(
		client,
		{ method: 'GET', path: conversationPath(conversationId) },
		{ schema: conversationSummarySchema, what: what(conversationId), hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: what(conversationId) },
	);
}

/** UpdateConversation: the summary is what a user names a conversation by. */
export async function updateConversationSummary(
	client: LettaClient,
	conversationId: string,
	summary: string,
	itemIndex?: number,
): Promise<ConversationSummary> {
	return await requestChecked(
		client,
		{ method: 'PATCH', path: conversationPath(conversationId), body: { summary } },
		{ schema: conversationSummarySchema, what: what(conversationId), hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: what(conversationId) },
	);
}

/** A soft delete in Letta: the conversation no longer lists or reads. */
export async function deleteConversation(
	client: LettaClient,
	conversationId: string,
	itemIndex?: number,
): Promise<void> {
	await client.request(
		{ method: 'DELETE', path: conversationPath(conversationId) },
		{ itemIndex, resource: what(conversationId) },
	);
}
