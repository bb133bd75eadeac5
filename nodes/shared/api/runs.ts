import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient } from '../transport/request';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta runs: `GET /v1/runs/` and `GET /v1/runs/{run_id}`. */

export const RUNS_PATH = '/v1/runs/';
/** The spec's maximum `limit` for `GET /v1/runs/`: one page covers most histories. */
export const RUN_PAGE_SIZE = 1000;

/** The stop reason of a run (and a message reply) that waits for a tool approval. */
export const REQUIRES_APPROVAL = 'requires_approval';

/** The run fields this package reads. */
export const runSchema = z
	.object({
		id: z.string(),
		agent_id: z.string().nullish(),
		conversation_id: z.string().nullish(),
		stop_reason: z.string().nullish(),
		created_at: z.string().nullish(),
	})
	.passthrough();

/** A run read on its own, to see whether it has ended. */
export const runStatusSchema = runSchema.extend({ status: z.string() });

export type RunSummary = z.infer<typeof runSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;

const runListSchema = z.array(runSchema);

export const TERMINAL_RUN_STATUSES = ['completed', 'failed', 'cancelled'];

/** A finished run's stop reason; Letta sets it, the fallback covers a run that ended without one. */
export function runStopReason(status: string, stopReason: string | null | undefined): string {
	if (stopReason) return stopReason;
	if (status === 'failed') return 'error';
	if (status === 'cancelled') return 'cancelled';
	return 'end_turn';
}

export async function listRuns(client: LettaClient, qs: IDataObject): Promise<RunSummary[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: RUNS_PATH, qs },
		{ schema: runListSchema, what: 'the list of runs', hint: LETTA_SERVER_HINT },
	);
}

/**
 * A run's status, or undefined when the answer does not show one (a server that does not
 * expose runs): the reply poller then judges by the messages alone.
 */
export async function getRunStatus(
	client: LettaClient,
	runId: string,
	itemIndex?: number,
): Promise<RunStatus | undefined> {
	const raw = await client.request(
		{ method: 'GET', path: `${RUNS_PATH}${encodeURIComponent(runId)}` },
		{ itemIndex, resource: `run ${runId}` },
	);
	const parsed = runStatusSchema.safeParse(raw);
	return parsed.success ? parsed.data : undefined;
}
