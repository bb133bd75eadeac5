import { NodeOperationError } from 'n8n-workflow';

import type { LettaResponse } from '../api/messageSchemas';
import { readMessageResponse, resourceName } from '../api/messages';
import { cancelRuns } from '../api/runs';
import { runMayContinue, runStillGoingError } from '../transport/errors';
import type { LettaClient } from '../transport/request';
import { backgroundRun } from './backgroundRun';
import type { WaitJob, WaitOutcome } from './job';
import { NO_BACKGROUND_STREAMING, plainRun, streamRun } from './streamRun';

/** Sending one item's message and waiting for its run, in the item's wait mode. */

/** What one execution learns about the server, shared by its items. */
export interface WaitSession {
	/** Set once the server refused background streaming (no Redis): later items skip the try. */
	noBackgroundStreaming?: boolean;
	noticeGiven?: boolean;
}

export interface Delivered {
	response: LettaResponse;
	runId: string | null;
	/** Said once per execution, on the first item it concerns (a fallback). */
	notice?: string;
}

export const NO_REDIS_NOTICE =
	'This Letta server cannot stream in the background (it needs Redis for that), so the node waited with Background Run instead (a named conversation: one plain request). Set Wait Mode to Background Run to skip the attempt.';

async function timedOut(
	client: LettaClient,
	job: WaitJob,
	runId: string | undefined,
): Promise<never> {
	if (!runId) {
		throw new NodeOperationError(
			client.node,
			`The Timeout passed before Letta named the run [item ${job.itemIndex}]`,
			{ itemIndex: job.itemIndex, description: 'Raise the Timeout option.' },
		);
	}
	if (job.cancelOnTimeout) await cancelRuns(client, job.scope.agentId, [runId], job.itemIndex);
	throw runStillGoingError(
		client.node,
		{
			runId,
			resource: resourceName(job.scope),
			waitedMs: job.timeoutMs,
			cancelled: job.cancelOnTimeout,
		},
		job.itemIndex,
	);
}

/** Without background streaming: a background run, or for a named conversation a plain request. */
async function fallback(client: LettaClient, job: WaitJob): Promise<WaitOutcome> {
	return job.scope.conversationId ? await plainRun(client, job) : await backgroundRun(client, job);
}

async function plainWithCancel(client: LettaClient, job: WaitJob): Promise<WaitOutcome> {
	let failure: unknown;
	try {
		return await plainRun(client, job);
	} catch (error) {
		failure = error;
	}
	const running = runMayContinue(failure);
	if (job.cancelOnTimeout && running?.runId)
		await cancelRuns(client, job.scope.agentId, [running.runId], job.itemIndex);
	throw failure;
}

export async function deliverAndWait(
	client: LettaClient,
	job: WaitJob,
	session: WaitSession,
): Promise<Delivered> {
	let outcome: WaitOutcome;
	let notice: string | undefined;
	const wantsStream =
		job.mode === 'stream' || (job.mode === 'backgroundRun' && !!job.scope.conversationId);
	if (job.mode === 'plainRequest') {
		outcome = await plainWithCancel(client, job);
	} else if (wantsStream && !session.noBackgroundStreaming) {
		const streamed = await streamRun(client, job);
		if (streamed === NO_BACKGROUND_STREAMING) {
			session.noBackgroundStreaming = true;
			outcome = await fallback(client, job);
		} else outcome = streamed;
	} else if (wantsStream) {
		outcome = await fallback(client, job);
	} else {
		outcome = await backgroundRun(client, job);
	}
	if (session.noBackgroundStreaming && wantsStream && !session.noticeGiven) {
		session.noticeGiven = true;
		notice = NO_REDIS_NOTICE;
	}
	if ('timedOut' in outcome) return await timedOut(client, job, outcome.runId);
	if ('raw' in outcome) {
		return {
			response: readMessageResponse(client, outcome.raw, job.itemIndex),
			runId: null,
			notice,
		};
	}
	return { response: outcome.response, runId: outcome.runId ?? null, notice };
}
