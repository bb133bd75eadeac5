import { NodeApiError, NodeOperationError, sleep, type JsonObject } from 'n8n-workflow';

import type { LettaResponse } from '../api/messageSchemas';
import { postMessages, resourceName } from '../api/messages';
import { readRunResult } from '../api/runResult';
import { REQUIRES_APPROVAL } from '../api/runs';
import {
	backgroundStreamRequest,
	isBackgroundStreamingUnavailable,
	resumeStreamRequest,
	StreamProgress,
	streamErrorText,
} from '../api/runStream';
import { conflictKind } from '../transport/errorBody';
import { forItem, pendingApprovalWording, runMayContinue } from '../transport/errors';
import type { LettaClient, LettaRequest } from '../transport/request';
import { backoffMs } from '../transport/retry';
import { readEvents, type StreamBody } from '../transport/stream';
import type { WaitJob, WaitOutcome } from './job';
import { MAX_STREAM_RECONNECTS, STREAM_IDLE_MS } from './waitModes';

/**
 * Stream mode: a background stream through the conversation endpoints. A connection that
 * drops or goes idle is picked up again after the last `seq_id` (by run id), or, before the
 * run id is known, by sending the same body again: its otids make Letta answer with the run
 * already going, never a second one.
 */

/** The server cannot stream in the background (no Redis): the caller falls back. */
export const NO_BACKGROUND_STREAMING = Symbol('noBackgroundStreaming');

function isNoRedisError(error: unknown): boolean {
	if (!(error instanceof NodeApiError) || error.httpCode !== '503') return false;
	const detail = (error.errorResponse as JsonObject | undefined)?.detail;
	return typeof detail === 'string' && /Background streaming requires Redis/i.test(detail);
}

function streamFailed(client: LettaClient, job: WaitJob, progress: StreamProgress): NodeApiError {
	const error = progress.error ?? {};
	const text = streamErrorText(error);
	// Letta streams a pending approval's refusal as an error event, not as the plain path's 409.
	const wording =
		conflictKind(text) === 'pendingApproval'
			? pendingApprovalWording(job.scope.agentId)
			: {
					message: `Letta reported an error in run ${progress.runId ?? '(unknown)'}: ${text}`,
					description:
						'The run failed on the Letta side. Look at the run in Letta (Letta node, Run > Get) and at the agent; a pending tool approval must be answered before new messages.',
				};
	return new NodeApiError(
		client.node,
		{ failure: 'runError', run_id: progress.runId ?? null, detail: text } as JsonObject,
		{
			message: wording.message + forItem(job.itemIndex),
			description: wording.description,
			itemIndex: job.itemIndex,
		},
	);
}

export function requestProblem(
	client: LettaClient,
	job: WaitJob,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(
		client.node,
		`The request does not match the Letta API: ${problem} [item ${job.itemIndex}]`,
		{ itemIndex: job.itemIndex, description: 'Check the message input and the node options.' },
	);
}

async function open(client: LettaClient, job: WaitJob, request: LettaRequest): Promise<StreamBody> {
	const subject = {
		itemIndex: job.itemIndex,
		agentId: job.scope.agentId,
		resource: resourceName(job.scope),
	};
	return await client.openStream(
		{ ...request, timeoutMs: Math.max(1, job.deadline - Date.now()) },
		subject,
		(response) => !isBackgroundStreamingUnavailable(response),
	);
}

export async function streamRun(
	client: LettaClient,
	job: WaitJob,
): Promise<WaitOutcome | typeof NO_BACKGROUND_STREAMING> {
	const streamTokens = job.onChunk !== undefined;
	const built = backgroundStreamRequest(job.scope, job.fields, job.timeoutMs, streamTokens);
	if ('problem' in built)
		throw new Error(`The request does not match the Letta API: ${built.problem}`);
	const progress = new StreamProgress(job.onChunk);
	let request = built.request;
	for (let reconnects = 0; ; reconnects++) {
		if (Date.now() >= job.deadline) return { timedOut: true, runId: progress.runId };
		let body: StreamBody | undefined;
		let failure: unknown;
		try {
			body = await open(client, job, request);
		} catch (error) {
			failure = error;
		}
		if (failure !== undefined) {
			if (isNoRedisError(failure)) return NO_BACKGROUND_STREAMING;
			// Cut off before the stream began: sending again is safe (same otids, same run).
			if (!runMayContinue(failure) || reconnects >= MAX_STREAM_RECONNECTS) throw failure;
		}
		if (body) {
			const limits = { idleMs: job.idleMs ?? STREAM_IDLE_MS, deadline: job.deadline };
			const stop = await readEvents(body, limits, (event) => progress.add(event));
			if (stop === 'deadline') return { timedOut: true, runId: progress.runId };
		}
		if (progress.error) throw streamFailed(client, job, progress);
		if (progress.done) break;
		if (reconnects >= MAX_STREAM_RECONNECTS) break;
		job.onReconnect?.();
		await sleep(Math.min(backoffMs(reconnects), Math.max(0, job.deadline - Date.now())));
		request = progress.runId
			? resumeStreamRequest(
					job.scope,
					{ runId: progress.runId, startingAfter: progress.lastSeqId },
					job.timeoutMs,
				)
			: built.request;
	}
	const response: LettaResponse | undefined = progress.response();
	// Token chunks carry a tool call in argument fragments: the run's record has it whole.
	const fragmentedCalls = streamTokens && response?.stop_reason.stop_reason === REQUIRES_APPROVAL;
	if (response && progress.done && !fragmentedCalls) return { response, runId: progress.runId };
	// The stream never showed its end (too many drops): the run's own record has it.
	if (progress.runId) {
		return {
			response: await readRunResult(client, progress.runId, { itemIndex: job.itemIndex }),
			runId: progress.runId,
		};
	}
	throw new NodeApiError(client.node, { failure: 'cutOff', run_may_continue: true } as JsonObject, {
		message: `Letta's stream kept dropping before it named its run${forItem(job.itemIndex)}`,
		description:
			"The message may have reached Letta. Look at the agent's messages before sending it again, or use the Background Run wait mode.",
		itemIndex: job.itemIndex,
	});
}

/** A plain request (the fallback for a named conversation on a server without background streaming). */
export async function plainRun(client: LettaClient, job: WaitJob): Promise<WaitOutcome> {
	const raw = await postMessages(client, job.plainRequest, job.scope, job.itemIndex);
	return { raw };
}
