import type { IDataObject } from 'n8n-workflow';

/**
 * The run ids this trigger already started an execution for, kept in the workflow's static
 * data (newest last, bounded): a callback sent twice for one run starts one execution.
 */

export const SEEN_RUNS_LIMIT = 1000;
const SEEN_RUNS_KEY = 'seenRunIds';

export function readSeenRuns(data: IDataObject): string[] {
	const stored = data[SEEN_RUNS_KEY];
	return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
}

/** The list after seeing `runId`: appended, the oldest dropped beyond the limit. */
export function withSeenRun(seen: string[], runId: string, limit = SEEN_RUNS_LIMIT): string[] {
	return [...seen.filter((id) => id !== runId), runId].slice(-limit);
}

export function writeSeenRuns(data: IDataObject, seen: string[]): void {
	data[SEEN_RUNS_KEY] = seen;
}
