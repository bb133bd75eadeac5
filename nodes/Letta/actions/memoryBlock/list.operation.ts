import type { IExecuteFunctions } from 'n8n-workflow';

import { AGENT_BLOCKS_PAGE_SIZE, listAgentBlocks } from '../../../shared/api/blocks';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField, limitField, returnAllField } from '../fields';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'List',
	value: 'list',
	action: "List an agent's memory blocks",
	description: "The blocks of an agent's core memory, one item per block, in attach order",
	properties: [agentField, returnAllField, limitField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(this, itemIndex),
			limit: readListingLimit(this, itemIndex),
		}),
		send: async ({ agentId, limit }, itemIndex) =>
			await readListing(
				async (pageSize, after) =>
					await listAgentBlocks(client, agentId, { limit: pageSize, after }, itemIndex),
				limit,
				AGENT_BLOCKS_PAGE_SIZE,
			),
	});
}
