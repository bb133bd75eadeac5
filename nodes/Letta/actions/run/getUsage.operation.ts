import type { IExecuteFunctions } from 'n8n-workflow';

import { getRunUsage } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { runIdField } from '../fields';
import { readLettaId, RUN_ID } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Get Usage',
	value: 'getUsage',
	action: 'Get the token usage of a run',
	description: 'The prompt, completion and total tokens a run used, summed over its steps',
	properties: [runIdField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => readLettaId(this, itemIndex, 'runId', RUN_ID),
		send: async (runId, itemIndex) => ({
			run_id: runId,
			...(await getRunUsage(client, runId, itemIndex)),
		}),
	});
}
