import type { RunSummary } from '../../../shared/api/runs';

/**
 * Runs that started more than `minutes` ago (at `nowMs`): what a stuck-run clean-up cancels.
 * A run without a start time is kept out, since its age is unknown.
 */
export function startedBefore<T extends Pick<RunSummary, 'created_at'>>(
	runs: T[],
	minutes: number,
	nowMs: number,
): T[] {
	if (minutes <= 0) return runs;
	const cutoff = nowMs - minutes * 60_000;
	return runs.filter((run) => {
		const started = run.created_at ? Date.parse(run.created_at) : Number.NaN;
		return Number.isFinite(started) && started < cutoff;
	});
}
