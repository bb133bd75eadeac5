/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * Interleaved rounds: every round runs each variant of a group once, the order rotated per
 * round (A B C, B C A, C A B, ...) so slow drifts of a shared machine hit every variant alike.
 * Ratios are taken within a round and their median reported.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { TrialResult, Variant } from './variants';

/** A full collection between runs, without needing `--expose-gc` on the command line. */
function loadGc(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}
const gc = loadGc();

export interface MemoryReading {
	/** heapUsed after a full GC, before the run (the input items already built). */
	baselineHeap: number;
	/** Highest heapUsed sampled during the run, minus the baseline. */
	peakHeapDelta: number;
	/** heapUsed after a full GC with the run's output still held, minus the baseline. */
	retainedHeapDelta: number;
	/** Highest RSS sampled during the run, and its increase over RSS before the run. */
	peakRss: number;
	peakRssDelta: number;
}

export interface Sample {
	round: number;
	wallMs: number;
	nodeMs: number | null;
	memory?: MemoryReading;
}

const SAMPLE_INTERVAL_MS = 5;

async function runWithMemory(
	run: () => Promise<TrialResult>,
): Promise<{ result: TrialResult; memory: MemoryReading }> {
	gc();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	let peakRss = before.rss;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRss = Math.max(peakRss, now.rss);
	}, SAMPLE_INTERVAL_MS);
	let result: TrialResult;
	try {
		result = await run();
	} finally {
		clearInterval(sampler);
	}
	const end = process.memoryUsage();
	peakHeap = Math.max(peakHeap, end.heapUsed);
	peakRss = Math.max(peakRss, end.rss);
	gc();
	const retained = process.memoryUsage().heapUsed;
	return {
		result,
		memory: {
			baselineHeap: before.heapUsed,
			peakHeapDelta: peakHeap - before.heapUsed,
			retainedHeapDelta: retained - before.heapUsed,
			peakRss,
			peakRssDelta: peakRss - before.rss,
		},
	};
}

export interface GroupOptions {
	rounds: number;
	/** Untimed runs of every variant first: module loading, JIT, connection pools. */
	warmupRounds: number;
	memory: boolean;
	onSample?: (variant: Variant, sample: Sample) => void;
}

/** Samples per variant id, in round order. */
export async function runInterleaved(
	variants: Variant[],
	options: GroupOptions,
): Promise<Map<string, Sample[]>> {
	const samples = new Map<string, Sample[]>(variants.map((variant) => [variant.id, []]));
	for (let round = -options.warmupRounds; round < options.rounds; round++) {
		const offset = ((round % variants.length) + variants.length) % variants.length;
		const order = [...variants.slice(offset), ...variants.slice(0, offset)];
		for (const variant of order) {
			const trial = await variant.prepare();
			let result: TrialResult;
			let memory: MemoryReading | undefined;
			if (options.memory) ({ result, memory } = await runWithMemory(() => trial.run()));
			else result = await trial.run();
			result.check();
			if (round < 0) continue;
			const sample: Sample = { round, wallMs: result.wallMs, nodeMs: result.nodeMs, memory };
			samples.get(variant.id)?.push(sample);
			options.onSample?.(variant, sample);
		}
	}
	return samples;
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Spread {
	median: number;
	min: number;
	max: number;
}

export function spread(values: number[]): Spread {
	return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Per-round ratios numerator/denominator of one metric, paired by round. */
export function roundRatios(
	numerator: Sample[],
	denominator: Sample[],
	metric: (sample: Sample) => number | null | undefined,
): number[] {
	const ratios: number[] = [];
	for (const sample of numerator) {
		const partner = denominator.find((other) => other.round === sample.round);
		const top = metric(sample);
		const bottom = partner ? metric(partner) : undefined;
		if (typeof top === 'number' && typeof bottom === 'number' && bottom > 0)
			ratios.push(top / bottom);
	}
	return ratios;
}
