import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta conversations: `GET /v1/conversations/`. */

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
	agent_id: string;
	limit: number;
	after?: string;
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
