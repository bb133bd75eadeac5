import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { listPassages, PASSAGE_PAGE_SIZE } from '../../../shared/api/passages';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField, limitField, returnAllField, collectionField } from '../fields';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';
import { passageOutput } from './passageOutput';

export const description: OperationDescription = {
	name: 'List',
	value: 'list',
	action: 'List archival memory passages',
	description: "The passages of an agent's archival memory, oldest first, one item per passage",
	properties: [
		agentField,
		returnAllField,
		limitField,
		collectionField('Options', [
			{
				displayName: 'Text Contains',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Only passages whose text contains this',
			},
			{
				displayName: 'Newest First',
				name: 'newestFirst',
				type: 'boolean',
				default: false,
				description: 'Whether to list the newest passages first',
			},
		]),
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				agentId: resolveAgentId(this, itemIndex),
				limit: readListingLimit(this, itemIndex),
				search: options.search ? String(options.search) : undefined,
				ascending: options.newestFirst !== true,
			};
		},
		send: async ({ agentId, limit, search, ascending }, itemIndex) =>
			(
				await readListing(
					async (pageSize, after) =>
						await listPassages(
							client,
							agentId,
							{
								limit: pageSize,
								ascending,
								...(after ? { after } : {}),
								...(search ? { search } : {}),
							},
							itemIndex,
						),
					limit,
					PASSAGE_PAGE_SIZE,
				)
			).map(passageOutput),
	});
}
