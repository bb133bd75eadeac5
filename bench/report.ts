/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark tooling runs in plain Node, outside n8n */
/** Turns samples into rows, ratios, a compact table and the JSON written to bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, relative } from 'node:path';

import { roundRatios, spread, type Sample, type Spread } from './measure';
import type { Variant } from './variants';

export interface VariantSummary {
	id: string;
	label: string;
	group: string;
	items: number;
	rounds: number;
	wallMs: Spread;
	itemsPerSecond: number;
	nodeMs: Spread | null;
	memory: {
		peakHeapDeltaMbPer1000: Spread;
		retainedHeapDeltaMbPer1000: Spread;
		peakRssDeltaMbPer1000: Spread;
		peakRssMb: number;
	} | null;
	samples: Sample[];
}

const MB = 1024 * 1024;

export function summarise(group: string, variant: Variant, samples: Sample[]): VariantSummary {
	const wallMs = spread(samples.map((sample) => sample.wallMs));
	const nodeTimes = samples
		.map((sample) => sample.nodeMs)
		.filter((ms): ms is number => ms !== null);
	const readings = samples
		.map((sample) => sample.memory)
		.filter((reading) => reading !== undefined);
	const per1000 = (bytes: number) => (bytes / MB) * (1000 / variant.items);
	return {
		id: variant.id,
		label: variant.label,
		group,
		items: variant.items,
		rounds: samples.length,
		wallMs,
		itemsPerSecond: (variant.items * 1000) / wallMs.median,
		nodeMs: nodeTimes.length ? spread(nodeTimes) : null,
		memory: readings.length
			? {
					peakHeapDeltaMbPer1000: spread(readings.map((reading) => per1000(reading.peakHeapDelta))),
					retainedHeapDeltaMbPer1000: spread(
						readings.map((reading) => per1000(reading.retainedHeapDelta)),
					),
					peakRssDeltaMbPer1000: spread(readings.map((reading) => per1000(reading.peakRssDelta))),
					peakRssMb: Math.max(...readings.map((reading) => reading.peakRss)) / MB,
				}
			: null,
		samples,
	};
}

export interface Ratio {
	id: string;
	label: string;
	/** Median of the per-round ratios, and their range. */
	value: Spread;
}

export function ratio(
	id: string,
	label: string,
	numerator: VariantSummary,
	denominator: VariantSummary,
	metric: (sample: Sample) => number | null | undefined = (sample) => sample.wallMs,
): Ratio {
	return { id, label, value: spread(roundRatios(numerator.samples, denominator.samples, metric)) };
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const range = (value: Spread, digits = 0) =>
	`${fixed(value.median, digits)} (${fixed(value.min, digits)}-${fixed(value.max, digits)})`;

function pad(cells: string[], widths: number[]): string {
	return cells
		.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
		.join('  ');
}

export function formatTable(summaries: VariantSummary[]): string {
	const header = [
		'variant',
		'items',
		'wall ms med (min-max)',
		'items/s',
		'node ms med',
		'heap MB/1k peak',
		'retained',
		'RSS MB/1k',
		'peak RSS MB',
	];
	const rows = summaries.map((summary) => [
		summary.label,
		String(summary.items),
		range(summary.wallMs),
		fixed(summary.itemsPerSecond, summary.itemsPerSecond < 100 ? 1 : 0),
		summary.nodeMs ? fixed(summary.nodeMs.median) : '-',
		summary.memory ? fixed(summary.memory.peakHeapDeltaMbPer1000.median, 1) : '',
		summary.memory ? fixed(summary.memory.retainedHeapDeltaMbPer1000.median, 1) : '',
		summary.memory ? fixed(summary.memory.peakRssDeltaMbPer1000.median, 1) : '',
		summary.memory ? fixed(summary.memory.peakRssMb) : '',
	]);
	const widths = header.map((cell, index) =>
		Math.max(cell.length, ...rows.map((row) => row[index].length)),
	);
	const lines = [pad(header, widths), widths.map((width) => '-'.repeat(width)).join('  ')];
	let group = '';
	summaries.forEach((summary, index) => {
		if (summary.group !== group) {
			group = summary.group;
			lines.push(`[${group}]`);
		}
		lines.push(pad(rows[index], widths));
	});
	return lines.join('\n');
}

export function formatRatios(ratios: Ratio[]): string {
	const width = Math.max(...ratios.map((entry) => entry.label.length));
	return ratios.map((entry) => `${entry.label.padEnd(width)}  ${range(entry.value, 2)}`).join('\n');
}

/** Writes one run's results as JSON, with its date and the machine it ran on, and says where. */
export function writeResults(
	path: string,
	loadAverage1m: { before: number; after: number },
	results: Record<string, unknown>,
): void {
	const machine = {
		node: process.version,
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model,
		totalMemMb: Math.round(totalmem() / 1024 / 1024),
		loadAverage1m,
	};
	mkdirSync(dirname(path), { recursive: true });
	const json = { date: new Date().toISOString(), machine, ...results };
	writeFileSync(path, `${JSON.stringify(json, null, '\t')}\n`);
	console.log(`results: ${relative(process.cwd(), path)}`);
}
