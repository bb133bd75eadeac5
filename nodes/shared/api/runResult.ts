import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { LettaClient, RequestSubject } from '../transport/request';
import type { LettaMessage, LettaResponse } from './messageSchemas';
import {
	getRun,
	getRunUsage,
	listRunMessages,
	RUN_MESSAGES_PAGE_SIZE,
	runStopReason,
	TERMINAL_RUN_STATUSES,
	type RunStatus,
} from './runs';

/**
 * A run read back after it ended, shaped as the LettaResponse a plain request answers, so
 * every way of waiting (background run, a callback's run, a stream that lost its end) gives
 * the same output.
 */

/** The request's own messages, which a run's message list holds and a reply leaves out. */
const INPUT_MESSAGE_TYPES = new Set(['user_message', 'approval_response_message']);

async function allRunMessages(
	client: LettaClient,
	runId: string,
	itemIndex?: number,
): Promise<LettaMessage[]> {
	const messages: LettaMessage[] = [];
	let after: string | undefined;
	for (;;) {
		const page = await listRunMessages(
			client,
			runId,
			{ limit: RUN_MESSAGES_PAGE_SIZE, ...(after ? { after } : {}) },
			itemIndex,
		);
		messages.push(...page);
		const last = page[page.length - 1]?.id;
		if (page.length < RUN_MESSAGES_PAGE_SIZE || !last) return messages;
		after = last;
	}
}

/** A finished run's reply: its messages (the agent's own), stop reason and usage. */
export async function readRunResult(
	client: LettaClient,
	runId: string,
	subject: RequestSubject = {},
): Promise<LettaResponse> {
	const { itemIndex } = subject;
	const run = await getRun(client, runId, itemIndex);
	const messages = await allRunMessages(client, runId, itemIndex);
	const usage = await getRunUsage(client, runId, itemIndex);
	return {
		messages: messages.filter((message) => !INPUT_MESSAGE_TYPES.has(message.message_type)),
		stop_reason: {
			message_type: 'stop_reason',
			stop_reason: runStopReason(run.status, run.stop_reason),
		},
		usage: { message_type: 'usage_statistics', ...usage, run_ids: [runId] } as IDataObject,
	};
}

export function hasEnded(run: RunStatus): boolean {
	return TERMINAL_RUN_STATUSES.includes(run.status);
}

/** Poll intervals: quick at first (short runs), then every few seconds (long ones). */
const POLL_BASE_MS = 250;
const POLL_CAP_MS = 5_000;

export function pollDelayMs(attempt: number): number {
	return Math.min(POLL_BASE_MS * 2 ** attempt, POLL_CAP_MS);
}

/**
 * Polls a run (reads: safe to retry) until it ends, the deadline passes or the execution is
 * cancelled. Returns the run as last read; it has not ended when one of the others came first.
 */
export async function waitForRunEnd(
	client: LettaClient,
	runId: string,
	deadline: number,
	itemIndex?: number,
	cancelSignal?: AbortSignal,
): Promise<RunStatus> {
	for (let attempt = 0; ; attempt++) {
		const run = await getRun(client, runId, itemIndex);
		const left = deadline - Date.now();
		if (hasEnded(run) || left <= 0 || cancelSignal?.aborted) return run;
		await sleep(Math.min(pollDelayMs(attempt), left));
	}
}
