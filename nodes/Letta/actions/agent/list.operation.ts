import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { listAgents, type AgentListQuery } from '../../../shared/api/agents';
import { AGENT_PAGE_SIZE } from '../../../shared/approvals/pendingApprovals';
import type { LettaClient } from '../../../shared/transport/request';
import { limitField, returnAllField, collectionField } from '../fields';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';
import { parseTags } from '../values';

export const description: OperationDescription = {
	name: 'List',
	value: 'list',
	action: 'List agents',
	description: 'Agents, found by name or tags, one item per agent',
	properties: [
		returnAllField,
		limitField,
		collectionField('Filters', [
			{
				displayName: 'Name Contains',
				name: 'queryText',
				type: 'string',
				default: '',
				description: 'Only agents whose name contains this text',
			},
			{
				displayName: 'Exact Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only the agents with exactly this name',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'support, eu',
				description: 'Only agents with these tags, separated by commas',
			},
			{
				displayName: 'Match All Tags',
				name: 'matchAllTags',
				type: 'boolean',
				default: false,
				description: 'Whether an agent needs all the tags (otherwise any one of them)',
			},
		]),
	],
};

function readAgentFilters(filters: IDataObject): Omit<AgentListQuery, 'limit'> {
	const tags = parseTags(filters.tags);
	return {
		...(filters.queryText ? { query_text: String(filters.queryText) } : {}),
		...(filters.name ? { name: String(filters.name) } : {}),
		...(tags.length > 0 ? { tags, match_all_tags: filters.matchAllTags === true } : {}),
	};
}

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			query: readAgentFilters(this.getNodeParameter('filters', itemIndex, {}) as IDataObject),
			limit: readListingLimit(this, itemIndex),
		}),
		send: async ({ query, limit }) =>
			await readListing(
				async (pageSize, after) =>
					await listAgents(client, { ...query, limit: pageSize, ...(after ? { after } : {}) }),
				limit,
				AGENT_PAGE_SIZE,
			),
	});
}
