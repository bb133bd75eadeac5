/** The wait-mode benchmark's figures: per-mode rows, memory rows, ratios, plain-text tables. */
import { spread, type Spread } from '../measure';
import type { MemoryTrial } from './phases';
import type { FinishedRun } from './runs';
import { BENCH_MODES } from './workflows';

export interface ModeSummary {
	mode: string;
	runs: number;
	/** The runs' lengths at the simulator, seconds. */
	runSeconds: Spread;
	/** Run end (simulator) to the workflow's output (n8n), ms. */
	endToOutputMs: Spread;
	/** Every request the node made for a run, its start included. */
	requestsPerRun: Spread;
	/** Requests after the starting one until the run ended, per minute of the run. */
	requestsPerMinuteWaiting: Spread;
}

function waitingRate(run: FinishedRun): number {
	const [first, ...rest] = [...run.requests].sort((a, b) => a.sequence - b.sequence);
	if (!first) return 0;
	const startedAt = Date.parse(first.startedAt);
	const during = rest.filter((entry) => Date.parse(entry.startedAt) <= run.runCompletedAt);
	return during.length / ((run.runCompletedAt - startedAt) / 60_000);
}

export function summariseModes(runs: FinishedRun[]): ModeSummary[] {
	return BENCH_MODES.map((mode) => {
		const own = runs.filter((run) => run.mode === mode);
		return {
			mode: mode.label,
			runs: own.length,
			runSeconds: spread(own.map((run) => (run.runCompletedAt - run.runCreatedAt) / 1000)),
			endToOutputMs: spread(own.map((run) => run.outputAt - run.runCompletedAt)),
			requestsPerRun: spread(own.map((run) => run.requests.length)),
			requestsPerMinuteWaiting: spread(own.map(waitingRate)),
		};
	});
}

export interface MemorySummary {
	mode: string;
	trials: number;
	runs: number;
	idleMb: Spread;
	waitingMb: Spread;
	/** RSS while waiting minus before, MB. */
	growthMb: Spread;
	/** The growth per waiting run, KB. */
	perRunKb: Spread;
	/** Summed over the trials. */
	failedExecutions: number;
	callbacksAnswered: number;
}

export function summariseMemory(trials: MemoryTrial[]): MemorySummary[] {
	const modes = [...new Set(trials.map((trial) => trial.mode))];
	return modes.map((mode) => {
		const own = trials.filter((trial) => trial.mode === mode);
		const growth = own.map((trial) => trial.waitingMb - trial.idleMb);
		return {
			mode,
			trials: own.length,
			runs: own[0]?.runs ?? 0,
			idleMb: spread(own.map((trial) => trial.idleMb)),
			waitingMb: spread(own.map((trial) => trial.waitingMb)),
			growthMb: spread(growth),
			perRunKb: spread(own.map((trial, index) => ((growth[index] ?? 0) * 1024) / trial.runs)),
			failedExecutions: own.reduce((sum, trial) => sum + trial.failedExecutions, 0),
			callbacksAnswered: own.reduce((sum, trial) => sum + trial.callbacksAnswered, 0),
		};
	});
}

function range(value: Spread, digits = 0): string {
	const fixed = (n: number) => n.toFixed(digits);
	return value.min === value.max
		? fixed(value.median)
		: `${fixed(value.median)} (${fixed(value.min)}-${fixed(value.max)})`;
}

function table(header: string[], rows: string[][]): string {
	const widths = header.map((cell, index) =>
		Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)),
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, index) => cell.padEnd(widths[index] ?? 0))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}

export function formatModes(summaries: ModeSummary[]): string {
	return table(
		[
			'wait mode',
			'runs',
			'run s',
			'run end -> output ms, med (min-max)',
			'requests/run',
			'requests/min waiting',
		],
		summaries.map((entry) => [
			entry.mode,
			String(entry.runs),
			range(entry.runSeconds, 1),
			range(entry.endToOutputMs),
			range(entry.requestsPerRun),
			range(entry.requestsPerMinuteWaiting, 1),
		]),
	);
}

export function formatMemory(summaries: MemorySummary[]): string {
	return table(
		[
			'wait mode',
			'trials',
			'runs waiting',
			'n8n RSS MB before',
			'while waiting',
			'change MB',
			'KB/run',
			'failed',
			'callbacks answered',
		],
		summaries.map((entry) => [
			entry.mode,
			String(entry.trials),
			String(entry.runs),
			range(entry.idleMb),
			range(entry.waitingMb),
			range(entry.growthMb, 1),
			range(entry.perRunKb),
			String(entry.failedExecutions),
			entry.mode === 'Wait for Callback' ? String(entry.callbacksAnswered) : '-',
		]),
	);
}
