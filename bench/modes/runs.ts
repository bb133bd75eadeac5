/**
 * Starting Long Worker runs through the mode workflows' webhooks, and reading back what each
 * run did: when the simulator ended it, when n8n had the workflow's output, and the requests
 * the node made for it (the simulator's request log).
 */
import { request } from 'undici';

import { FINAL_EXECUTION_STATUSES, sleep, waitFor, type ExecutionDetails } from '../../test/n8n';
import type { RecordedRequest } from '../../test/simulator/control';
import { BENCH_API_KEY } from '../plainClient';
import type { BenchInstance } from './instance';
import { BENCH_WORKFLOW_ID, sendNode, startNode, webhookPath, type BenchMode } from './workflows';

export interface StartedRun {
	mode: BenchMode;
	/** The message text, unique per run: finds its requests and its execution. */
	token: string;
	conversationId?: string;
}

export interface FinishedRun extends StartedRun {
	runId: string;
	executionId: string;
	status: string;
	/** The simulator's run: created and completed (its clock, the same machine's). */
	runCreatedAt: number;
	runCompletedAt: number;
	/** n8n's `stoppedAt`: the workflow has its output. */
	outputAt: number;
	requests: RecordedRequest[];
}

function mentions(entry: RecordedRequest, text: string): boolean {
	return entry.path.includes(text) || JSON.stringify(entry.body ?? null).includes(text);
}

/** The request that started a run: the first POST carrying its token. */
function startRequest(requests: RecordedRequest[], token: string): RecordedRequest | undefined {
	return requests.find((entry) => entry.method === 'POST' && mentions(entry, token));
}

/** n8n serves before it has activated the published workflow: its webhooks 404 until then. */
const WEBHOOK_REGISTRATION_MS = 60_000;

/** Calls the mode's webhook (n8n answers at once, the execution goes on). */
export async function triggerRun(instance: BenchInstance, run: StartedRun): Promise<void> {
	const until = Date.now() + WEBHOOK_REGISTRATION_MS;
	for (;;) {
		const answer = await instance.n8n.callWebhook(webhookPath(run.mode.mode), {
			token: run.token,
			conversationId: run.conversationId,
		});
		if (answer.status === 200) return;
		if (answer.status !== 404 || Date.now() > until)
			throw new Error(`webhook of ${run.mode.label} answered ${answer.status}: ${answer.text}`);
		await sleep(250);
	}
}

/** Waits until the simulator received the run's first request (its run has begun). */
export async function waitForStart(instance: BenchInstance, run: StartedRun): Promise<void> {
	await waitFor(
		`request carrying ${run.token} at the simulator`,
		30_000,
		async () => await instance.control.requests({ method: 'POST' }),
		(requests) => startRequest(requests, run.token) !== undefined,
		{ intervalMs: 50 },
	);
}

async function getRun(
	instance: BenchInstance,
	runId: string,
): Promise<{ created_at: string; completed_at: string | null }> {
	const response = await request(`${instance.simulator.simulatorUrl}/v1/runs/${runId}`, {
		headers: { authorization: `Bearer ${BENCH_API_KEY}` },
	});
	const text = await response.body.text();
	if (response.statusCode !== 200)
		throw new Error(`GET /v1/runs/${runId} answered ${response.statusCode}: ${text}`);
	return JSON.parse(text) as { created_at: string; completed_at: string | null };
}

/** n8n's finished executions of the bench workflow started at or after `since`. */
export async function finishedExecutions(
	instance: BenchInstance,
	since: number,
): Promise<{ ids: string[]; pending: number }> {
	const recent = (await instance.n8n.executions(BENCH_WORKFLOW_ID)).filter(
		(entry) => Date.parse(entry.startedAt ?? '') >= since,
	);
	const finished = recent.filter((entry) => FINAL_EXECUTION_STATUSES.includes(entry.status));
	return { ids: finished.map((entry) => entry.id), pending: recent.length - finished.length };
}

function firstJson(execution: ExecutionDetails, node: string): Record<string, unknown> {
	const tasks = execution.run.data.resultData.runData[node] ?? [];
	const items = tasks[tasks.length - 1]?.data?.main?.[0] ?? [];
	return items[0]?.json ?? {};
}

/** How the executions' runs came out: with the agent's reply, or with `no_callback` at the deadline. */
export async function outcomes(
	instance: BenchInstance,
	mode: BenchMode,
	executionIds: string[],
): Promise<{ replies: number; noCallback: number }> {
	let replies = 0;
	let noCallback = 0;
	for (const id of executionIds) {
		const output = firstJson(await instance.n8n.execution(id), sendNode(mode));
		if (output.status === 'no_callback') noCallback += 1;
		else if (typeof output.reply === 'string' && output.reply !== '') replies += 1;
	}
	return { replies, noCallback };
}

/**
 * Waits until every run's execution finished, then reads each one: n8n's output time, the
 * simulator's run times and the requests that carry its token, run id or conversation.
 */
export async function collectRuns(
	instance: BenchInstance,
	runs: StartedRun[],
	since: number,
	timeoutMs: number,
): Promise<FinishedRun[]> {
	const { ids } = await waitFor(
		`${runs.length} finished execution(s)`,
		timeoutMs,
		async () => await finishedExecutions(instance, since),
		(found) => found.ids.length >= runs.length && found.pending === 0,
		{ intervalMs: 500 },
	);
	const executions: ExecutionDetails[] = [];
	for (const id of ids) executions.push(await instance.n8n.execution(id));
	const requests = await instance.control.requests();
	return await Promise.all(
		runs.map(async (run) => {
			const execution = executions.find(
				(candidate) =>
					(firstJson(candidate, startNode(run.mode)).body as { token?: unknown } | undefined)
						?.token === run.token,
			);
			if (!execution) throw new Error(`no execution of ${run.token}`);
			const output = firstJson(execution, sendNode(run.mode));
			const runId = typeof output.run_id === 'string' ? output.run_id : '';
			if (execution.status !== 'success' || !runId)
				throw new Error(
					`${run.token}: execution ${execution.id} is ${execution.status}, output ${JSON.stringify(output).slice(0, 300)}`,
				);
			const simulated = await getRun(instance, runId);
			return {
				...run,
				runId,
				executionId: execution.id,
				status: execution.status,
				runCreatedAt: Date.parse(simulated.created_at),
				runCompletedAt: Date.parse(simulated.completed_at ?? ''),
				outputAt: Date.parse(execution.stoppedAt ?? ''),
				requests: requests.filter(
					(entry) =>
						mentions(entry, run.token) ||
						mentions(entry, runId) ||
						(run.conversationId !== undefined && entry.path.includes(run.conversationId)),
				),
			};
		}),
	);
}
