/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark tooling runs in plain Node, outside n8n */
/**
 * `npm run bench [-- --quick | --profile | --modes] [--out file.json]`: Send Agent Message against the
 * Letta simulator, measured as ratios of variants run side by side in one process.
 * See bench/README.md.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_CONCURRENCY } from '../nodes/shared/items/scheduler';
import { SimulatorControl } from '../test/simulator/control';
import { runInterleaved, type Sample } from './measure';
import { runRealN8n } from './n8n';
import { PlainLettaClient } from './plainClient';
import { profiled } from './profile';
import {
	formatRatios,
	formatTable,
	ratio,
	summarise,
	type Ratio,
	type VariantSummary,
	writeResults,
} from './report';
import { startSimulatorProcess } from './simulatorProcess';
import {
	nodeVariant,
	plainImageVariant,
	plainVariant,
	singleItemNodeVariant,
	type BenchTarget,
	type Variant,
} from './variants';

/** Whole run's limit: the benchmark stops by itself even if something hangs (real n8n included). */
const HARD_LIMIT_MS = 30 * 60_000;

interface Profile {
	name: 'default' | 'quick';
	cpuItems: number;
	cpuRounds: number;
	memoryItems: number;
	memoryRounds: number;
	imageRounds: number;
}

const PROFILES: Record<Profile['name'], Profile> = {
	default: {
		name: 'default',
		cpuItems: 500,
		cpuRounds: 7,
		memoryItems: 1000,
		memoryRounds: 3,
		imageRounds: 15,
	},
	quick: {
		name: 'quick',
		cpuItems: 200,
		cpuRounds: 3,
		memoryItems: 400,
		memoryRounds: 2,
		imageRounds: 5,
	},
};

interface Group {
	name: string;
	variants: Variant[];
	rounds: number;
	warmupRounds: number;
	memory: boolean;
}

function groups(target: BenchTarget, profile: Profile): Group[] {
	const c = DEFAULT_CONCURRENCY;
	return [
		{
			// First, so its warm-up also warms up n8n-core and the node for the slow group after it.
			name: `overhead: 0 ms agent latency, ${profile.cpuItems} items, 10 lanes`,
			variants: [
				nodeVariant(target, {
					id: 'cpuNode',
					label: `node, concurrency ${c}`,
					count: profile.cpuItems,
					concurrency: c,
					latencyMs: 0,
				}),
				plainVariant(target, {
					id: 'cpuPlain',
					label: `plain undici, concurrency ${c}`,
					count: profile.cpuItems,
					concurrency: c,
					latencyMs: 0,
				}),
			],
			rounds: profile.cpuRounds,
			warmupRounds: 2,
			memory: false,
		},
		{
			name: `memory: 0 ms agent latency, ${profile.memoryItems} items of 2 KB text`,
			variants: [
				nodeVariant(target, {
					id: 'memoryNode',
					label: `node, concurrency ${c}`,
					count: profile.memoryItems,
					concurrency: c,
					latencyMs: 0,
				}),
				plainVariant(target, {
					id: 'memoryPlain',
					label: `plain undici, concurrency ${c}`,
					count: profile.memoryItems,
					concurrency: c,
					latencyMs: 0,
				}),
			],
			rounds: profile.memoryRounds,
			warmupRounds: 1,
			memory: true,
		},
		{
			name: 'image: one item, 0 ms agent latency',
			variants: [
				singleItemNodeVariant(target, {
					id: 'textItem',
					label: 'node, text only',
					withImage: false,
				}),
				singleItemNodeVariant(target, {
					id: 'imageItem',
					label: 'node, text + 1 MB image',
					withImage: true,
				}),
				plainImageVariant(target, { id: 'plainImage', label: 'plain undici, text + 1 MB image' }),
			],
			rounds: profile.imageRounds,
			warmupRounds: 1,
			memory: false,
		},
	];
}

function computeRatios(byId: Map<string, VariantSummary>): Ratio[] {
	const get = (id: string) => {
		const summary = byId.get(id);
		if (!summary) throw new Error(`no results for ${id}`);
		return summary;
	};
	const nodeTime = (sample: Sample) => sample.nodeMs;
	const retained = (sample: Sample) => sample.memory?.retainedHeapDelta;
	const peakHeap = (sample: Sample) => sample.memory?.peakHeapDelta;
	return [
		ratio('overhead0', 'node / plain undici (wall, 0 ms)', get('cpuNode'), get('cpuPlain')),
		ratio(
			'overhead0NodeOnly',
			"node's own time / plain undici (0 ms)",
			get('cpuNode'),
			get('cpuPlain'),
			(sample) => sample.nodeMs ?? sample.wallMs,
		),
		ratio(
			'retainedHeap',
			'retained heap, node / plain',
			get('memoryNode'),
			get('memoryPlain'),
			retained,
		),
		ratio('peakHeap', 'peak heap, node / plain', get('memoryNode'), get('memoryPlain'), peakHeap),
		ratio(
			'imageVsText',
			"1 MB image item / text item (node's time)",
			get('imageItem'),
			get('textItem'),
			nodeTime,
		),
		ratio(
			'imageNodeVsPlain',
			"1 MB image: node's time / plain undici",
			get('imageItem'),
			get('plainImage'),
			(sample) => sample.nodeMs ?? sample.wallMs,
		),
	];
}

function summaryLine(ratios: Ratio[], byId: Map<string, VariantSummary>): string {
	const value = (id: string) =>
		ratios.find((entry) => entry.id === id)?.value.median.toFixed(2) ?? '-';
	const perItem = (id: string) => {
		const summary = byId.get(id);
		return summary ? (summary.wallMs.median / summary.items).toFixed(2) : '-';
	};
	return (
		`SUMMARY node/plain ${value('overhead0')}x at 0 ms (${perItem('cpuNode')} vs ${perItem('cpuPlain')} ms/item) | ` +
		`retained heap node/plain ${value('retainedHeap')}x | 1 MB image/text ${value('imageVsText')}x, image node/plain ${value('imageNodeVsPlain')}x`
	);
}

const PROFILE_ITEMS = 1000;

/** `--profile`: one node run of PROFILE_ITEMS items at 0 ms latency, its CPU sorted into buckets. */
async function profileNode(target: BenchTarget): Promise<void> {
	const variant = nodeVariant(target, {
		id: 'profile',
		label: 'profile',
		count: PROFILE_ITEMS,
		concurrency: DEFAULT_CONCURRENCY,
		latencyMs: 0,
	});
	for (let warmup = 0; warmup < 2; warmup++) (await (await variant.prepare()).run()).check();
	const trial = await variant.prepare();
	const { result, shares } = await profiled(async () => await trial.run());
	result.check();
	console.log(
		`CPU profile of the node over ${PROFILE_ITEMS} items (0 ms latency, concurrency ${DEFAULT_CONCURRENCY}): ` +
			`${result.wallMs.toFixed(0)} ms, ${(result.wallMs / PROFILE_ITEMS).toFixed(2)} ms/item (profiler on)`,
	);
	for (const { bucket, share } of shares)
		console.log(`${(share * 100).toFixed(1).padStart(6)}%  ${bucket}`);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			quick: { type: 'boolean', default: false },
			profile: { type: 'boolean', default: false },
			modes: { type: 'boolean', default: false },
			'no-n8n': { type: 'boolean', default: false },
			out: { type: 'string' },
		},
		strict: true,
	});
	if (values.modes) {
		// loaded only here: the real-n8n tooling stays out of the other groups' heap figures
		const { runModesBench } = await import('./modes');
		await runModesBench({
			quick: values.quick,
			out: values.out ?? join(__dirname, 'results', 'modes.json'),
		});
		return;
	}
	const profile = PROFILES[values.quick ? 'quick' : 'default'];
	const outPath = values.out ?? join(__dirname, 'results', 'latest.json');
	const watchdog = setTimeout(() => {
		console.error(`bench: still running after ${HARD_LIMIT_MS / 1000} s, giving up`);
		process.exit(2);
	}, HARD_LIMIT_MS);
	watchdog.unref();

	const started = performance.now();
	const simulator = await startSimulatorProcess();
	const client = new PlainLettaClient(simulator.url);
	const target: BenchTarget = {
		simulatorUrl: simulator.url,
		control: new SimulatorControl(simulator.url, 'default'),
		client,
	};
	const loadBefore = loadavg()[0];
	console.log(
		`bench (${profile.name}): Node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.toFixed(1)}, ` +
			`simulator ${simulator.url} (child process ${simulator.pid}, no Prism)`,
	);

	if (values.profile) {
		try {
			await profileNode(target);
		} finally {
			await client.close();
			await simulator.stop();
		}
		return;
	}

	const summaries: VariantSummary[] = [];
	try {
		for (const group of groups(target, profile)) {
			process.stdout.write(`${group.name} `);
			const samples = await runInterleaved(group.variants, {
				rounds: group.rounds,
				warmupRounds: group.warmupRounds,
				memory: group.memory,
				onSample: () => process.stdout.write('.'),
			});
			process.stdout.write('\n');
			for (const variant of group.variants)
				summaries.push(summarise(group.name, variant, samples.get(variant.id) ?? []));
		}
	} finally {
		await client.close();
		await simulator.stop();
	}

	const byId = new Map(summaries.map((summary) => [summary.id, summary]));
	const ratios = computeRatios(byId);
	const durationSeconds = (performance.now() - started) / 1000;
	console.log(
		`\n${formatTable(summaries)}\n\nratios, median of per-round ratios (min-max):\n${formatRatios(ratios)}\n`,
	);
	const loadAfter = loadavg()[0];
	console.log(
		`peak RSS of the benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ` +
			`took ${durationSeconds.toFixed(1)} s; 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
	);
	console.log(summaryLine(ratios, byId));
	const realN8n = values['no-n8n'] ? null : await runRealN8n(profile.name === 'quick');

	writeResults(
		outPath,
		{ before: loadBefore, after: loadAfter },
		{
			profile,
			durationSeconds,
			peakRssMb: process.resourceUsage().maxRSS / 1024,
			ratios,
			variants: summaries,
			realN8n,
		},
	);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exit(1);
});
