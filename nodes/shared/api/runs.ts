import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { z } from 'zod';

import type { RequestSubject } from '../transport/errors';
import type { LettaClient } from '../transport/request';
import { backoffMs } from '../transport/retry';
import { AGENTS_PATH } from './agents';
import { lettaMessageSchema, type LettaMessage } from './messageSchemas';
import { LETTA_SERVER_HINT, requestChecked } from './validate';

/**
 * Letta runs: `GET /v1/runs/`, `GET /v1/runs/{run_id}` (and its messages and usage), and
 * cancelling through `POST /v1/agents/{agent_id}/messages/cancel`.
 */

export const RUNS_PATH = '/v1/runs/';
/** The spec's maximum `limit` for `GET /v1/runs/`: one page covers most histories. */
export const RUN_PAGE_SIZE = 1000;

/** StopReasonType in the spec. */
export const STOP_REASONS = [
	'end_turn',
	'error',
	'llm_api_error',
	'invalid_llm_response',
	'invalid_tool_call',
	'max_steps',
	'max_tokens_exceeded',
	'no_tool_call',
	'tool_rule',
	'cancelled',
	'insufficient_credits',
	'requires_approval',
	'context_window_overflow_in_system_prompt',
] as const;

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
/** The statuses of a run that has not ended (what `active=true` stands for in Letta). */
export const ACTIVE_RUN_STATUSES = ['created', 'running'];
export const RUN_STATUSES = [...ACTIVE_RUN_STATUSES, ...TERMINAL_RUN_STATUSES];
/** The spec's default `limit` of a run's messages. */
export const RUN_MESSAGES_PAGE_SIZE = 100;

/** A finished run's stop reason; Letta sets it, the fallback covers a run that ended without one. */
export function runStopReason(status: string, stopReason: string | null | undefined): string {
	if (stopReason) return stopReason;
	if (status === 'failed') return 'error';
	if (status === 'cancelled') return 'cancelled';
	return 'end_turn';
}

export async function listRuns(
	client: LettaClient,
	qs: IDataObject,
	subject: RequestSubject = {},
): Promise<RunSummary[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: RUNS_PATH, qs },
		{ schema: runListSchema, what: 'the list of runs', hint: LETTA_SERVER_HINT },
		subject,
	);
}

/** An agent's default conversation (conversationId empty) or one of its conversations. */
export interface RunScope {
	agentId: string;
	conversationId?: string | null;
}

/**
 * The runs still going on a scope (`active=true`: created or running). The default
 * conversation's runs have `conversation_id` null, so they are picked out here.
 */
export async function activeRuns(
	client: LettaClient,
	scope: RunScope,
	itemIndex?: number,
): Promise<RunSummary[]> {
	const conversationId = scope.conversationId || null;
	const runs = await listRuns(
		client,
		{
			agent_id: scope.agentId,
			active: true,
			limit: RUN_PAGE_SIZE,
			...(conversationId ? { conversation_id: conversationId } : {}),
		},
		{ itemIndex, agentId: scope.agentId, resource: `the runs of agent ${scope.agentId}` },
	);
	return runs.filter((run) => (run.conversation_id || null) === conversationId);
}

/** The newest active run of a scope, to name in an error; undefined when none is running. */
export async function latestActiveRunId(
	client: LettaClient,
	scope: RunScope,
	itemIndex?: number,
): Promise<string | undefined> {
	// Newest first (the listing's default order).
	const [newest] = await activeRuns(client, scope, itemIndex);
	return newest?.id;
}

/**
 * Waits (polling with backoff) until no run is active on the scope, up to `waitMs`.
 * Returns the ids of the runs still going when the time was up; empty when all ended.
 */
export async function waitForActiveRunsToEnd(
	client: LettaClient,
	scope: RunScope,
	waitMs: number,
	itemIndex?: number,
): Promise<string[]> {
	const deadline = Date.now() + waitMs;
	for (let attempt = 0; ; attempt++) {
		const running = await activeRuns(client, scope, itemIndex);
		if (running.length === 0) return [];
		const left = deadline - Date.now();
		if (left <= 0) return running.map((run) => run.id);
		await sleep(Math.min(backoffMs(attempt), left));
	}
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
		{ method: 'GET', path: runPath(runId) },
		{ itemIndex, resource: `run ${runId}` },
	);
	const parsed = runStatusSchema.safeParse(raw);
	return parsed.success ? parsed.data : undefined;
}

const runWhat = (runId: string) => `run ${runId}`;

function runPath(runId: string): string {
	return `${RUNS_PATH}${encodeURIComponent(runId)}`;
}

/** One run, checked: for the Run operations, which need its status. */
export async function getRun(
	client: LettaClient,
	runId: string,
	itemIndex?: number,
): Promise<RunStatus> {
	return await requestChecked(
		client,
		{ method: 'GET', path: runPath(runId) },
		{ schema: runStatusSchema, what: runWhat(runId), hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: runWhat(runId) },
	);
}

export interface RunMessagesQuery extends IDataObject {
	limit: number;
	after?: string;
}

/** A run's messages, oldest first. */
export async function listRunMessages(
	client: LettaClient,
	runId: string,
	query: RunMessagesQuery,
	itemIndex?: number,
): Promise<LettaMessage[]> {
	return await requestChecked(
		client,
		{ method: 'GET', path: `${runPath(runId)}/messages`, qs: { ...query, order: 'asc' } },
		{
			schema: z.array(lettaMessageSchema),
			what: `the messages of run ${runId}`,
			hint: LETTA_SERVER_HINT,
		},
		{ itemIndex, resource: runWhat(runId) },
	);
}

/** UsageStatistics: the token counts summed over the run's steps. */
export const runUsageSchema = z
	.object({
		completion_tokens: z.number(),
		prompt_tokens: z.number(),
		total_tokens: z.number(),
	})
	.passthrough();

export type RunUsage = z.infer<typeof runUsageSchema>;

export async function getRunUsage(
	client: LettaClient,
	runId: string,
	itemIndex?: number,
): Promise<RunUsage> {
	return await requestChecked(
		client,
		{ method: 'GET', path: `${runPath(runId)}/usage` },
		{ schema: runUsageSchema, what: `the usage of run ${runId}`, hint: LETTA_SERVER_HINT },
		{ itemIndex, resource: runWhat(runId) },
	);
}

/** `{run_id: "cancelled" | "failed"}` for each run named. */
const cancelAnswerSchema = z.record(z.string());

/**
 * Cancels runs of an agent. Letta answers "cancelled" also for a run that had already ended
 * (its cancel is a no-op then): read the run afterwards to know what happened.
 */
export async function cancelRuns(
	client: LettaClient,
	agentId: string,
	runIds: string[],
	itemIndex?: number,
): Promise<Record<string, string>> {
	return await requestChecked(
		client,
		{ method: 'POST', path: `${AGENTS_PATH}${agentId}/messages/cancel`, body: { run_ids: runIds } },
		{ schema: cancelAnswerSchema, what: 'the cancel request', hint: LETTA_SERVER_HINT },
		{ itemIndex, agentId, resource: runIds.map(runWhat).join(', ') },
	);
}
