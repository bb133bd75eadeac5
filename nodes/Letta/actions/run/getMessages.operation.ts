import type { IExecuteFunctions } from 'n8n-workflow';

import { listRunMessages, RUN_MESSAGES_PAGE_SIZE } from '../../../shared/api/runs';
import type { LettaClient } from '../../../shared/transport/request';
import { limitField, returnAllField, runIdField } from '../fields';
import { readLettaId, RUN_ID } from '../ids';
import { readListing, readListingLimit } from '../listing';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Get Messages',
	value: 'getMessages',
	action: 'Get the messages of a run',
	description:
		'The messages a run produced (reasoning, tool calls and returns, replies), oldest first, one item per message',
	properties: [runIdField, returnAllField, limitField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			runId: readLettaId(this, itemIndex, 'runId', RUN_ID),
			limit: readListingLimit(this, itemIndex),
		}),
		send: async ({ runId, limit }, itemIndex) =>
			await readListing(
				async (pageSize, after) =>
					await listRunMessages(
						client,
						runId,
						{ limit: pageSize, ...(after ? { after } : {}) },
						itemIndex,
					),
				limit,
				RUN_MESSAGES_PAGE_SIZE,
			),
	});
}
