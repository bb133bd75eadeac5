import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listAgents } from '../api/agents';
import { AGENT_PAGE_SIZE } from '../approvals/pendingApprovals';
import { pageOfList, paginate } from '../transport/paginate';
import { createLettaClient } from '../transport/request';
import { agentOptionName } from './optionNames';

/** At most this many agents in the multi-select; more can be given by ID in an expression. */
const MAX_AGENT_OPTIONS = 1000;

export async function getAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await createLettaClient(this);
	const { items } = await paginate(
		async (after) =>
			pageOfList(
				await listAgents(client, { limit: AGENT_PAGE_SIZE, ...(after ? { after } : {}) }),
				AGENT_PAGE_SIZE,
			),
		{
			maxPages: Math.ceil(MAX_AGENT_OPTIONS / AGENT_PAGE_SIZE),
			stopBefore: (read) => read.length >= MAX_AGENT_OPTIONS,
		},
	);
	return items
		.map((agent) => ({ name: agentOptionName(agent), value: agent.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
