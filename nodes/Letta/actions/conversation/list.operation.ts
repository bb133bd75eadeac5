import type { IExecuteFunctions } from 'n8n-workflow';

import { listConversations } from '../../../shared/api/conversations';
import { LIST_PAGE_SIZE } from '../../../shared/methods/listSearch';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField, limitField, returnAllField } from '../fields';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'List',
	value: 'list',
	action: "List an agent's conversations",
	description: "An agent's conversations, newest first, one item per conversation",
	properties: [
		agentField,
		returnAllField,
		limitField,
		{
			displayName: 'Summary Contains',
			name: 'summarySearch',
			type: 'string',
			default: '',
			description: 'Only conversations whose summary contains this text',
		},
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(this, itemIndex),
			search: String(this.getNodeParameter('summarySearch', itemIndex, '')).trim(),
			limit: readListingLimit(this, itemIndex),
		}),
		send: async ({ agentId, search, limit }) =>
			await readListing(
				async (pageSize, after) =>
					await listConversations(client, {
						agent_id: agentId,
						limit: pageSize,
						...(after ? { after } : {}),
						...(search ? { summary_search: search } : {}),
					}),
				limit,
				LIST_PAGE_SIZE,
			),
	});
}
