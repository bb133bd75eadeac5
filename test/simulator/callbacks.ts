/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * The callback Letta POSTs when a run with a callback_url reaches a terminal status
 * (letta/services/run_manager.py update_run_by_id_async + _dispatch_callback_async): one
 * attempt with httpx, 5 s timeout, no retry; the outcome is only recorded on the run
 * (callback_sent_at, callback_status_code, callback_error).
 */
import { request } from 'node:http';
import type { SimulatorContext } from './context';
import { sleep } from './http';
import { callbackFailed } from './lettaErrors';
import type { LettaResponseBody, RunRecord } from './types';

/** _dispatch_callback_async's httpx timeout. */
export const CALLBACK_TIMEOUT_MS = 5000;

/** Python's `datetime.isoformat()` of a naive UTC time (get_utc_time().replace(tzinfo=None)). */
export function naiveUtcIso(date: Date): string {
	return date.toISOString().replace(/Z$/, '000');
}

export interface CallbackPayload {
	run_id: string;
	status: string;
	completed_at: string;
	metadata: Record<string, unknown>;
}

/** `{run_id, status, completed_at, metadata}`; metadata is the run's own plus `result` (the LettaResponse). */
export function callbackPayload(run: RunRecord, result: LettaResponseBody): CallbackPayload {
	return {
		run_id: run.id,
		status: run.status,
		completed_at: naiveUtcIso(new Date()),
		metadata: { ...(run.metadata ?? {}), result },
	};
}

type PostOutcome = { statusCode: number } | { error: string };

/** httpx exception reprs for what can go wrong on the one attempt. */
function postJson(url: string, body: string): Promise<PostOutcome> {
	return new Promise((resolve) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			resolve({
				error: `UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol.")`,
			});
			return;
		}
		const req = request(
			target,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					'user-agent': 'python-httpx/0.28.1',
				},
				timeout: CALLBACK_TIMEOUT_MS,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ statusCode: res.statusCode ?? 0 }));
				res.on('error', () => resolve({ error: "ReadError('')" }));
			},
		);
		req.on('timeout', () => {
			req.destroy();
			resolve({ error: "ReadTimeout('')" });
		});
		req.on('error', (error: NodeJS.ErrnoException) => {
			resolve({
				error:
					error.code === 'ECONNREFUSED'
						? "ConnectError('All connection attempts failed')"
						: `ConnectError('${error.message}')`,
			});
		});
		req.end(body);
	});
}

/**
 * Delivers (or, per the control switch, drops or delays) the callback of a run that just
 * ended, and records the attempt on the run and in the tenant's callback log.
 */
export async function dispatchCallback(
	ctx: SimulatorContext,
	run: RunRecord,
	result: LettaResponseBody,
): Promise<void> {
	const callback = run.callback;
	if (!callback) return;
	const { callbackDelivery, callbackDelayMs } = ctx.longRuns.settings;
	const generation = ctx.store.generation;
	const payload = callbackPayload(run, result);
	if (callbackDelivery === 'delay' && callbackDelayMs > 0) await sleep(callbackDelayMs);
	if (ctx.store.generation !== generation) return;
	const attemptedAt = new Date().toISOString();
	const outcome: PostOutcome =
		callbackDelivery === 'drop'
			? { error: "ConnectError('All connection attempts failed')" }
			: await postJson(callback.url, JSON.stringify(payload));
	if (ctx.store.generation !== generation) return;
	callback.sentAt = attemptedAt;
	callback.statusCode = 'statusCode' in outcome ? outcome.statusCode : null;
	callback.error = 'error' in outcome ? callbackFailed(run.id, callback.url, outcome.error) : null;
	ctx.longRuns.callbacks.push({
		runId: run.id,
		url: callback.url,
		payload,
		attemptedAt,
		delivery: callbackDelivery,
		statusCode: callback.statusCode,
		error: callback.error,
	});
}
