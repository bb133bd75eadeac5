import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { conflictKind, errorCode, errorDetail } from './errorBody';

/** Retries after a refusal the server made before doing any work (429, 503, 409 busy). */
export const MAX_RETRIES = 3;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
const RETRY_AFTER_CAP_MS = 60_000;

export function backoffMs(attempt: number): number {
	return Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_CAP_MS);
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Server-suggested wait: `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(response: IN8nHttpFullResponse): number | undefined {
	const ms = Number(header(response, 'retry-after-ms'));
	if (Number.isFinite(ms) && ms >= 0 && header(response, 'retry-after-ms') !== undefined) {
		return Math.min(ms, RETRY_AFTER_CAP_MS);
	}
	const value = header(response, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0) * 1000, RETRY_AFTER_CAP_MS);
	const date = Date.parse(value);
	return Number.isNaN(date)
		? undefined
		: Math.min(Math.max(date - Date.now(), 0), RETRY_AFTER_CAP_MS);
}

const QUOTA_REASONS = /exceeded-quota|not-enough-credits|insufficient|quota/i;

/**
 * How long to wait before resending, or undefined when resending is not safe or not useful.
 * Only refusals made before any work was done are retried: a message POST is not idempotent.
 */
export function retryDelayMs(response: IN8nHttpFullResponse, attempt: number): number | undefined {
	const detail = errorDetail(response.body);
	const suggested = retryAfterMs(response);
	switch (response.statusCode) {
		case 429:
			return QUOTA_REASONS.test(detail) ? undefined : (suggested ?? backoffMs(attempt));
		case 503:
			return suggested ?? backoffMs(attempt);
		case 409:
			if (conflictKind(detail) === 'busy' || suggested !== undefined) {
				return suggested ?? backoffMs(attempt);
			}
			return undefined;
		default:
			return undefined;
	}
}

/**
 * A busy conversation (409: another request holds Letta's lock) is waited out rather than
 * failed after MAX_RETRIES: the holder's run may take minutes (another execution, a queue-mode
 * worker, a person in Letta's app), and the refused request did no work, so resending it
 * until the request's own time budget is spent is safe.
 */
export function isBusyRefusal(response: IN8nHttpFullResponse): boolean {
	return response.statusCode === 409 && conflictKind(errorDetail(response.body)) === 'busy';
}

/** Whether to resend after `delay`: within MAX_RETRIES, or a busy refusal within the budget. */
export function mayResend(
	response: IN8nHttpFullResponse,
	attempt: number,
	delay: number,
	budgetLeftMs: number,
): boolean {
	if (attempt < MAX_RETRIES) return true;
	return isBusyRefusal(response) && delay < budgetLeftMs;
}

/** Refused before anything was sent: safe to retry. */
export function isConnectionRefused(error: unknown): boolean {
	return errorCode(error) === 'ECONNREFUSED';
}
