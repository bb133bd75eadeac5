import type { IExecuteFunctions } from 'n8n-workflow';

import { getRun } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { runIdField } from '../fields';
import { readLettaId, RUN_ID } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Get',
	value: 'get',
	action: 'Get a run',
	description: 'Read one run: its status, stop reason, agent, conversation and timing',
	properties: [runIdField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => readLettaId(this, itemIndex, 'runId', RUN_ID),
		send: async (runId, itemIndex) => await getRun(client, runId, itemIndex),
	});
}
