import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { listRuns, RUN_PAGE_SIZE, RUN_STATUSES, STOP_REASONS } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { limitField, returnAllField, collectionField } from '../fields';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';
import { agentFilterField, conversationFilterField, readRunScopeFilter } from './runFilters';

const titleCase = (value: string) =>
	value.replace(/_/g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase());

export const description: OperationDescription = {
	name: 'List',
	value: 'list',
	action: 'List runs',
	description: 'Runs, newest first, narrowed by agent, conversation, status and stop reason',
	properties: [
		returnAllField,
		limitField,
		collectionField('Filters', [
			agentFilterField,
			conversationFilterField,
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: RUN_STATUSES.map((status) => ({ name: titleCase(status), value: status })),
				description: 'Only runs with one of these statuses',
			},
			{
				displayName: 'Stop Reason',
				name: 'stopReason',
				type: 'options',
				default: 'end_turn',
				options: STOP_REASONS.map((reason) => ({ name: titleCase(reason), value: reason })),
				description: 'Only runs that stopped for this reason, e.g. Requires Approval',
			},
		]),
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => {
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const statuses = (filters.statuses as string[] | undefined) ?? [];
			const query: IDataObject = {
				...readRunScopeFilter(this, itemIndex, filters),
				...(statuses.length > 0 ? { statuses } : {}),
				...(filters.stopReason ? { stop_reason: filters.stopReason } : {}),
			};
			return { query, limit: readListingLimit(this, itemIndex) };
		},
		send: async ({ query, limit }) =>
			await readListing(
				async (pageSize, after) =>
					await listRuns(client, { ...query, limit: pageSize, ...(after ? { after } : {}) }),
				limit,
				RUN_PAGE_SIZE,
			),
	});
}
