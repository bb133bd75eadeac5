import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ACTIVE_RUN_STATUSES, listRuns, RUN_PAGE_SIZE } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { readListing } from '../listing';
import { collectionField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';
import { agentFilterField, readRunScopeFilter } from './runFilters';
import { startedBefore } from './stuckRuns';

export const description: OperationDescription = {
	name: 'List Active',
	value: 'listActive',
	action: 'List active runs',
	description:
		'Runs still going (created or running), optionally only those started more than some minutes ago: stuck runs',
	properties: [
		{
			displayName: 'Started More Than (Minutes) Ago',
			name: 'olderThanMinutes',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description:
				'Only runs that started more than this many minutes ago; 0 lists every active run',
		},
		collectionField('Filters', [agentFilterField]),
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			scope: readRunScopeFilter(
				this,
				itemIndex,
				this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
			),
			minutes: this.getNodeParameter('olderThanMinutes', itemIndex, 0) as number,
		}),
		send: async ({ scope, minutes }) => {
			// `statuses` rather than the deprecated GET /v1/runs/active (capped at 100 runs).
			const runs = await readListing(
				async (pageSize, after) =>
					await listRuns(client, {
						...scope,
						statuses: ACTIVE_RUN_STATUSES,
						limit: pageSize,
						...(after ? { after } : {}),
					}),
				{ returnAll: true, limit: 0 },
				RUN_PAGE_SIZE,
			);
			return startedBefore(runs, minutes, Date.now());
		},
	});
}
