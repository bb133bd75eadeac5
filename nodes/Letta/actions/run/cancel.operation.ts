import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cancelRuns, getRun } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { runIdField } from '../fields';
import { readLettaId, RUN_ID } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

/**
 * Cancel stops the agent working on the run (POST /v1/agents/{agent_id}/messages/cancel).
 * DELETE /v1/runs/{run_id} would only delete the run's record and leave the agent running.
 * Letta answers "cancelled" also for a run that had already ended, so the run is read again:
 * `cancelled` says whether this call stopped it.
 */
export const description: OperationDescription = {
	name: 'Cancel',
	value: 'cancel',
	action: 'Cancel a run',
	description:
		'Stop a run that is still going (a pending tool approval is denied); a run that already ended stays as it was',
	properties: [runIdField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => readLettaId(this, itemIndex, 'runId', RUN_ID),
		send: async (runId, itemIndex) => {
			const before = await getRun(client, runId, itemIndex);
			const agentId = before.agent_id ?? '';
			const answer = await cancelRuns(client, agentId, [runId], itemIndex);
			if (answer[runId] === 'failed') {
				throw new NodeOperationError(
					this.getNode(),
					`Letta could not cancel run ${runId} [item ${itemIndex}]`,
					{
						itemIndex,
						description:
							'Letta reported the cancel as failed (its log says why). Check the run with Run > Get and try again.',
					},
				);
			}
			const after = await getRun(client, runId, itemIndex);
			return {
				...after,
				cancelled: after.status === 'cancelled' && before.status !== 'cancelled',
				previous_status: before.status,
			};
		},
	});
}
