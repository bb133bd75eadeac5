import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { AGENTS_PATH, agentSummarySchema } from './agents';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/**
 * Letta memory blocks (core memory): an agent's blocks by label under
 * `/v1/agents/{agent_id}/core-memory/blocks`, any block by id under `/v1/blocks/{block_id}`.
 */

export const BLOCKS_PATH = '/v1/blocks/';

/** The spec's default `limit` for an agent's blocks. */
export const AGENT_BLOCKS_PAGE_SIZE = 100;

/** BlockResponse: the fields this package reads. */
export const blockSchema = z
	.object({
		id: z.string(),
		label: z.string().nullish(),
		value: z.string(),
		limit: z.number().nullish(),
		description: z.string().nullish(),
	})
	.passthrough();

export type Block = z.infer<typeof blockSchema>;

/** A block named by its label on one agent, or by its own id. */
export type BlockRef = { agentId: string; label: string } | { blockId: string };

function agentBlocksPath(agentId: string): string {
	return `${AGENTS_PATH}${agentId}/core-memory/blocks`;
}

function blockPath(ref: BlockRef): string {
	return 'blockId' in ref
		? `${BLOCKS_PATH}${ref.blockId}`
		: `${agentBlocksPath(ref.agentId)}/${encodeURIComponent(ref.label)}`;
}

/** How errors name a block: `block "human" of agent agent-…` or `block block-…`. */
export function describeBlock(ref: BlockRef): string {
	return 'blockId' in ref ? `block ${ref.blockId}` : `block "${ref.label}" of agent ${ref.agentId}`;
}

export async function getBlock(
	client: LettaClient,
	ref: BlockRef,
	itemIndex?: number,
): Promise<Block> {
	const what = describeBlock(ref);
	return await requestChecked(
		client,
		{ method: 'GET', path: blockPath(ref) },
		{ schema: blockSchema, what, hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: what },
	);
}

/** BlockUpdate with the value only: the label, limit and the rest stay as they are. */
export async function updateBlockValue(
	client: LettaClient,
	ref: BlockRef,
	value: string,
	itemIndex?: number,
): Promise<Block> {
	const what = describeBlock(ref);
	return await requestChecked(
		client,
		{ method: 'PATCH', path: blockPath(ref), body: { value } },
		{ schema: blockSchema, what, hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: what },
	);
}

export interface AgentBlocksQuery {
	limit: number;
	after?: string;
}

export async function listAgentBlocks(
	client: LettaClient,
	agentId: string,
	query: AgentBlocksQuery,
	itemIndex?: number,
): Promise<Block[]> {
	return await requestChecked(
		client,
		// Oldest first, so a cursor walks the blocks in the order they were attached.
		{ method: 'GET', path: agentBlocksPath(agentId), qs: { ...query, order: 'asc' } },
		{
			schema: z.array(blockSchema),
			what: `the blocks of agent ${agentId}`,
			hint: LETTA_SERVER_HINT,
		},
		{ itemIndex, resource: `agent ${agentId}` },
	);
}

/** What attach and detach answer (AgentState): the agent's blocks afterwards. */
const agentWithBlocksSchema = agentSummarySchema.extend({ blocks: z.array(blockSchema) });

export type AgentWithBlocks = z.infer<typeof agentWithBlocksSchema>;

export async function attachBlock(
	client: LettaClient,
	agentId: string,
	blockId: string,
	attach: boolean,
	itemIndex?: number,
): Promise<AgentWithBlocks> {
	return await requestChecked(
		client,
		{
			method: 'PATCH',
			path: `${agentBlocksPath(agentId)}/${attach ? 'attach' : 'detach'}/${blockId}`,
		},
		{ schema: agentWithBlocksSchema, what: `agent ${agentId}`, hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: `block ${blockId} on agent ${agentId}` },
	);
}
