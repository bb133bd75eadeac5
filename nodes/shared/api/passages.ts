import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { AGENTS_PATH } from './agents';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta archival memory (passages): `/v1/agents/{agent_id}/archival-memory`. */

/** The spec's default `limit` of the passage listing. */
export const PASSAGE_PAGE_SIZE = 100;

/** Passage: the fields this package reads. */
export const passageSchema = z
	.object({
		id: z.string(),
		text: z.string(),
		tags: z.array(z.string()).nullish(),
		created_at: z.string().nullish(),
	})
	.passthrough();

export type Passage = z.infer<typeof passageSchema>;

/** ArchivalMemorySearchResult. */
export const passageSearchResultSchema = z
	.object({
		id: z.string(),
		timestamp: z.string(),
		content: z.string(),
		tags: z.array(z.string()).optional(),
	})
	.passthrough();

const searchResponseSchema = z
	.object({ results: z.array(passageSearchResultSchema), count: z.number() })
	.passthrough();

export type PassageSearchResult = z.infer<typeof passageSearchResultSchema>;

function archivalPath(agentId: string): string {
	return `${AGENTS_PATH}${agentId}/archival-memory`;
}

/** CreateArchivalMemory. */
export interface NewPassage extends IDataObject {
	text: string;
	tags?: string[];
	created_at?: string;
}

/** Letta may split a long text into several passages: all of them are answered. */
export async function insertPassage(
	client: LettaClient,
	agentId: string,
	passage: NewPassage,
	itemIndex?: number,
): Promise<Passage[]> {
	return await requestChecked(
		client,
		{ method: 'POST', path: archivalPath(agentId), body: passage },
		{ schema: z.array(passageSchema), what: 'the inserted passage', hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: `agent ${agentId}` },
	);
}

export interface PassageListQuery extends IDataObject {
	limit: number;
	after?: string;
	search?: string;
	ascending?: boolean;
}

export async function listPassages(
	client: LettaClient,
	agentId: string,
	query: PassageListQuery,
	itemIndex?: number,
): Promise<Passage[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: archivalPath(agentId), qs: query },
		{
			schema: z.array(passageSchema),
			what: `the archival memory of agent ${agentId}`,
			hint: LETTA_SERVER_HINT,
		},
		{ itemIndex, resource: `agent ${agentId}` },
	);
}

export interface PassageSearchQuery extends IDataObject {
	query: string;
	tags?: string[];
	tag_match_mode?: 'any' | 'all';
	top_k?: number;
	start_datetime?: string;
	end_datetime?: string;
}

export async function searchPassages(
	client: LettaClient,
	agentId: string,
	query: PassageSearchQuery,
	itemIndex?: number,
): Promise<PassageSearchResult[]> {
	const answer = await requestChecked(
		client,
		{ method: 'GET', path: `${archivalPath(agentId)}/search`, qs: query },
		{ schema: searchResponseSchema, what: 'the archival memory search', hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: `agent ${agentId}` },
	);
	return answer.results;
}

/** Letta deletes the passage by its id alone; the agent only completes the path. */
export async function deletePassage(
	client: LettaClient,
	agentId: string,
	passageId: string,
	itemIndex?: number,
): Promise<void> {
	await client.request(
		{ method: 'DELETE', path: `${archivalPath(agentId)}/${encodeURIComponent(passageId)}` },
		{ itemIndex, resource: `passage ${passageId}` },
	);
}
