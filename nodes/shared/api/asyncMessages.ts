import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { AGENTS_PATH } from './agents';
import { lettaResponseSchema } from './messageSchemas';
import { runStatusSchema, type RunStatus } from './runs';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/**
 * `POST /v1/agents/{agent_id}/messages/async`: starts a run and answers with it at once. With
 * `callback_url`, Letta POSTs the run's outcome there once it ends: one attempt, 5 s, no retry.
 */

export function asyncMessagesPath(agentId: string): string {
	return `${AGENTS_PATH}${agentId}/messages/async`;
}

/** The run fields read after starting one, with the callback URL Letta stored on it. */
export const asyncRunSchema = runStatusSchema.extend({ callback_url: z.string().nullish() });
export type AsyncRun = z.infer<typeof asyncRunSchema>;

export async function startAsyncRun(
	client: LettaClient,
	agentId: string,
	body: IDataObject,
	callbackUrl: string,
	itemIndex: number,
): Promise<RunStatus> {
	return await requestChecked(
		client,
		{
			method: 'POST',
			path: asyncMessagesPath(agentId),
			body: { ...body, callback_url: callbackUrl },
		},
		{ schema: asyncRunSchema, what: 'the started run', hint: LETTA_SERVER_HINT },
		{ itemIndex, agentId, resource: `agent ${agentId}` },
	);
}

/**
 * What Letta POSTs to a callback URL (`run_manager._dispatch_callback_async`): the run id,
 * its status and `metadata.result`, the LettaResponse. Untrusted until the run is matched.
 */
export const runCallbackSchema = z
	.object({
		run_id: z.string().min(1),
		status: z.string(),
		completed_at: z.string().nullish(),
		metadata: z.object({ result: lettaResponseSchema.nullish() }).passthrough().nullish(),
	})
	.passthrough();

export type RunCallback = z.infer<typeof runCallbackSchema>;
