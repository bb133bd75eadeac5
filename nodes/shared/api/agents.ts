import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta agents: `/v1/agents/` (list) and `/v1/agents/{agent_id}` (read, update, delete). */

export const AGENTS_PATH = '/v1/agents/';

/** The `include` that fills in an agent's pending approval (its default conversation only). */
export const PENDING_APPROVAL_INCLUDE = 'agent.pending_approval';
/** Relations an approval read needs: the default conversation's pending approval, and the tags. */
export const AGENT_APPROVAL_INCLUDE = [PENDING_APPROVAL_INCLUDE, 'agent.tags'];

/** The agent fields this package reads; everything else passes through untouched. */
export const agentSummarySchema = z
	.object({
		id: z.string(),
		name: z.string().nullish(),
		tags: z.array(z.string()).nullish(),
		pending_approval: z.unknown().optional(),
	})
	.passthrough();

export type AgentSummary = z.infer<typeof agentSummarySchema>;

const agentListSchema = z.array(agentSummarySchema);

export interface AgentListQuery extends IDataObject {
	limit: number;
	after?: string;
	query_text?: string;
	name?: string;
	tags?: string[];
	match_all_tags?: boolean;
	last_stop_reason?: string;
	include?: string[];
}

export async function listAgents(client: LettaClient, qs: AgentListQuery): Promise<AgentSummary[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: AGENTS_PATH, qs },
		{ schema: agentListSchema, what: 'the list of agents', hint: LETTA_SERVER_HINT },
	);
}

/** One agent as Letta answers it, with the relations `include` names. */
export async function getAgent(
	client: LettaClient,
	agentId: string,
	itemIndex?: number,
	include: string[] = [],
): Promise<AgentSummary> {
	return await requestChecked(
		client,
		{
			method: 'GET',
			path: `${AGENTS_PATH}${agentId}`,
			...(include.length > 0 ? { qs: { include } } : {}),
		},
		{ schema: agentSummarySchema, what: `agent ${agentId}`, hint: LETTA_SERVER_HINT },
		{ itemIndex, agentId, resource: `agent ${agentId}` },
	);
}

/** One agent, with its default conversation's pending approval and its tags filled in. */
export async function getAgentWithApproval(
	client: LettaClient,
	agentId: string,
	itemIndex?: number,
): Promise<AgentSummary> {
	return await getAgent(client, agentId, itemIndex, AGENT_APPROVAL_INCLUDE);
}

/** UpdateAgent: only the fields given change. */
export interface AgentUpdate extends IDataObject {
	name?: string;
	description?: string;
	tags?: string[];
}

export async function updateAgent(
	client: LettaClient,
	agentId: string,
	update: AgentUpdate,
	itemIndex?: number,
): Promise<AgentSummary> {
	return await requestChecked(
		client,
		{ method: 'PATCH', path: `${AGENTS_PATH}${agentId}`, body: update },
		{ schema: agentSummarySchema, what: `agent ${agentId}`, hint: LETTA_SERVER_HINT },
		{ itemIndex, agentId, resource: `agent ${agentId}` },
	);
}

export async function deleteAgent(
	client: LettaClient,
	agentId: string,
	itemIndex?: number,
): Promise<void> {
	await client.request(
		{ method: 'DELETE', path: `${AGENTS_PATH}${agentId}` },
		{ itemIndex, agentId, resource: `agent ${agentId}` },
	);
}
