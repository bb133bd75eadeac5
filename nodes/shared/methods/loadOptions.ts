import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { AGENT_PAGE_SIZE } from '../approvals/pendingApprovals';
import { createLettaClient } from '../transport/request';

/** At most this many agents in the multi-select; more can be given by ID in an expression. */
const MAX_AGENT_OPTIONS = 1000;

interface AgentSummary {
	id: string;
	name?: string | null;
	tags?: string[] | null;
}

export async function getAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await createLettaClient(this);
	const options: INodePropertyOptions[] = [];
	let after: string | undefined;
	while (options.length < MAX_AGENT_OPTIONS) {
		const page = await client.request<AgentSummary[]>({
			method: 'GET',
			path: '/v1/agents/',
			qs: { limit: AGENT_PAGE_SIZE, ...(after ? { after } : {}) },
		});
		for (const agent of page) {
			options.push({
				name: agent.tags?.length
					? `${agent.name ?? agent.id} (${agent.tags.join(', ')})`
					: (agent.name ?? agent.id),
				value: agent.id,
			});
		}
		if (page.length < AGENT_PAGE_SIZE) break;
		after = page[page.length - 1].id;
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}
