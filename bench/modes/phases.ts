/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * The two measurements of the wait-mode benchmark, each on the one n8n of `instance.ts`:
 * - waiting: every mode's runs side by side, interleaved; from each run, the time from the
 *   run's end (the simulator's `completed_at`) to the workflow's output (n8n's `stoppedAt`)
 *   and the requests the node made while it waited;
 * - memory: many runs of one mode waiting at once, and the n8n process's RSS meanwhile.
 */
import { readFileSync } from 'node:fs';

import { AGENT_IDS, sleep, waitFor } from '../../test/n8n';
import { median } from '../measure';
import { PlainLettaClient } from '../plainClient';
import type { BenchInstance } from './instance';
import {
	collectRuns,
	finishedExecutions,
	outcomes,
	triggerRun,
	waitForStart,
	type FinishedRun,
	type StartedRun,
} from './runs';
import { BENCH_MODES, BENCH_WORKFLOW_ID, type BenchMode } from './workflows';

async function conversationFor(
	client: PlainLettaClient,
	mode: BenchMode,
): Promise<string | undefined> {
	if (!mode.namedConversation) return undefined;
	return (await client.createConversation(AGENT_IDS.longWorker)).conversationId;
}

export interface WaitingPhaseOptions {
	/** The shortest run; each mode's runs are this long plus 0, 1 step, 2 steps... */
	workMs: number;
	runsPerMode: number;
	/** Spreads the runs' ends over Background Run's polling interval. */
	lengthStepMs: number;
}

/**
 * Starts `runsPerMode` runs of every mode, one after another in a rotating order (each run's
 * length set just before it starts, so the ends fall at different points of a polling
 * interval), lets them all finish and reads each back.
 */
export async function waitingPhase(
	instance: BenchInstance,
	options: WaitingPhaseOptions,
	onRun: () => void,
): Promise<FinishedRun[]> {
	const client = new PlainLettaClient(instance.simulator.simulatorUrl);
	await instance.control.clearRequests();
	const since = Date.now();
	const started: StartedRun[] = [];
	try {
		for (let round = 0; round < options.runsPerMode; round++) {
			const workMs = options.workMs + round * options.lengthStepMs;
			await instance.control.updateLongRunSettings({ workMs });
			for (let index = 0; index < BENCH_MODES.length; index++) {
				const mode = BENCH_MODES[(index + round) % BENCH_MODES.length];
				const run: StartedRun = {
					mode,
					token: `bench ${mode.mode} ${round}`,
					conversationId: await conversationFor(client, mode),
				};
				await triggerRun(instance, run);
				// the Long Worker reads its work time when the turn starts
				await waitForStart(instance, run);
				started.push(run);
				onRun();
			}
		}
	} finally {
		await client.close();
	}
	const lastLength = options.workMs + (options.runsPerMode - 1) * options.lengthStepMs;
	return await collectRuns(instance, started, since, lastLength + 60_000);
}

/** VmRSS of a process in MB (Linux). */
function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
	return Number(match[1]) / 1024;
}

/** The RSS samples end this long before the first runs end. */
const SAMPLE_MARGIN_MS = 1_000;

async function sampleRss(pid: number, durationMs: number): Promise<number[]> {
	const samples: number[] = [];
	const until = Date.now() + durationMs;
	while (Date.now() < until) {
		samples.push(rssMb(pid));
		await sleep(200);
	}
	return samples;
}

export interface MemoryTrial {
	mode: string;
	runs: number;
	/** RSS before the runs start (median over the settle window). */
	idleMb: number;
	/** RSS while every run waits (median of the samples, taken just before the first ends), and its peak. */
	waitingMb: number;
	peakMb: number;
	/** From the first webhook call until every run had started at the simulator. */
	startAllMs: number;
	/** Executions n8n listed as `waiting` (Wait for Callback) while the RSS was sampled. */
	waitingExecutions: number;
	/** Executions that ended in error (n8n refused the start under load, say). */
	failedExecutions: number;
	/** What n8n answered to the webhook calls it failed, each text once. */
	startErrors: string[];
	/** Wait for Callback: Letta's callbacks n8n answered with 200 within Letta's 5 s. */
	callbacksAnswered: number;
	/** Executions that put out the agent's reply; those that put out `no_callback` at the deadline. */
	replies: number;
	noCallback: number;
}

export interface MemoryTrialOptions {
	runs: number;
	workMs: number;
	/** How long RSS is sampled while all runs wait, and before they start. */
	sampleMs: number;
	/** Webhook calls in flight at once while starting the runs (one batch). */
	startConcurrency: number;
	/** Each batch's runs are this much longer than the batch before. */
	endSpreadMs: number;
}

/** Executions by status and Letta's callbacks by outcome, for an error message. */
async function whatHappened(instance: BenchInstance, since: number): Promise<string> {
	const count = (values: string[]) => {
		const counts = new Map<string, number>();
		for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
		return [...counts].map(([value, n]) => `${n} ${value}`).join(', ') || 'none';
	};
	const executions = (await instance.n8n.executions(BENCH_WORKFLOW_ID)).filter(
		(entry) => Date.parse(entry.startedAt ?? '') >= since,
	);
	const callbacks = await instance.control.callbackAttempts();
	return (
		`executions: ${count(executions.map((entry) => entry.status))}; ` +
		`callbacks: ${count(callbacks.map((entry) => String(entry.statusCode ?? entry.error?.split(': ').pop())))}`
	);
}

/** `runs` runs of one mode at once; the n8n process's RSS before and while they all wait. */
export async function memoryTrial(
	instance: BenchInstance,
	mode: BenchMode,
	trial: number,
	options: MemoryTrialOptions,
): Promise<MemoryTrial> {
	await instance.control.clearRequests();
	await instance.control.updateLongRunSettings({ workMs: options.workMs });
	const client = new PlainLettaClient(instance.simulator.simulatorUrl);
	const runs: StartedRun[] = [];
	try {
		for (let index = 0; index < options.runs; index++)
			runs.push({
				mode,
				token: `memory ${mode.mode} ${trial} ${index}`,
				conversationId: await conversationFor(client, mode),
			});
	} finally {
		await client.close();
	}
	const idle = await sampleRss(instance.n8nPid, options.sampleMs);
	const since = Date.now();
	const startErrors: string[] = [];
	for (let first = 0; first < runs.length; first += options.startConcurrency) {
		const batch = runs.slice(first, first + options.startConcurrency);
		// each batch a little longer: the runs end spread out, not all in one second
		await instance.control.updateLongRunSettings({
			workMs: options.workMs + (first / options.startConcurrency) * options.endSpreadMs,
		});
		// a start n8n fails (it answers 500) is counted, not waited for
		const started = await Promise.all(
			batch.map(async (run) => {
				try {
					await triggerRun(instance, run);
					return run.token;
				} catch (error) {
					startErrors.push((error as Error).message.slice(0, 200));
					return undefined;
				}
			}),
		);
		const tokens = started.filter((token) => token !== undefined);
		await waitFor(
			`${batch.length} ${mode.label} runs started`,
			options.workMs,
			async () => await instance.control.requests({ method: 'POST' }),
			(requests) =>
				tokens.every((token) =>
					requests.some((entry) => JSON.stringify(entry.body).includes(token)),
				),
			{ intervalMs: 100 },
		);
	}
	const startAllMs = Date.now() - since;
	// sampled just before the first runs end: what waiting holds, not the start's garbage
	const sampleFrom = since + options.workMs - options.sampleMs - SAMPLE_MARGIN_MS;
	if (Date.now() > sampleFrom)
		throw new Error(
			`${mode.label}: starting ${options.runs} runs took ${startAllMs} ms, too long for runs of ${options.workMs} ms: raise workMs`,
		);
	await sleep(sampleFrom - Date.now());
	const waiting = await sampleRss(instance.n8nPid, options.sampleMs);
	const waitingExecutions = (await instance.n8n.executions(BENCH_WORKFLOW_ID, ['waiting'])).filter(
		(entry) => Date.parse(entry.startedAt ?? '') >= since,
	).length;
	const callbacks = async () =>
		(await instance.control.callbackAttempts()).filter((entry) =>
			entry.url.includes('webhook-waiting'),
		);
	const callbacksBefore = (await callbacks()).length;
	const done = await waitFor(
		`${options.runs} finished ${mode.label} executions`,
		options.workMs + 180_000,
		async () => await finishedExecutions(instance, since),
		(found) => found.ids.length >= options.runs && found.pending === 0,
		{ intervalMs: 1000 },
	).catch(async (error: unknown) => {
		throw new Error(`${(error as Error).message}; ${await whatHappened(instance, since)}`);
	});
	const failed = (
		await instance.n8n.executions(BENCH_WORKFLOW_ID, ['error', 'crashed', 'canceled'])
	).filter((entry) => Date.parse(entry.startedAt ?? '') >= since).length;
	if (done.ids.length !== options.runs)
		throw new Error(`${mode.label}: ${done.ids.length} executions for ${options.runs} runs`);
	return {
		mode: mode.label,
		runs: options.runs,
		idleMb: median(idle),
		waitingMb: median(waiting),
		peakMb: Math.max(...waiting),
		startAllMs,
		waitingExecutions,
		failedExecutions: failed,
		startErrors: [...new Set(startErrors)],
		callbacksAnswered: (await callbacks())
			.slice(callbacksBefore)
			.filter((entry) => entry.statusCode === 200).length,
		...(await outcomes(instance, mode, done.ids)),
	};
}
