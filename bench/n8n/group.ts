/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * The real-n8n group: the pinned n8n, this package packed and installed as n8n installs it,
 * `n8n execute` of generated workflows (Manual Trigger -> Code node -> the measured node)
 * against stub agents with a fixed latency, Send Agent Message side by side with n8n's HTTP
 * Request node sending the same requests. See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_CONCURRENCY } from '../../nodes/shared/items/scheduler';
import {
	buildAndPack,
	cacheDir,
	ensureN8n,
	freePort,
	installTarballAsN8nDoes,
	N8n,
	newEncryptionKey,
	type N8nItem,
} from '../../test/n8n';
import { median, spread, type Spread } from '../measure';
import { cpuBetween, executeWatched, heapGrowthMb, type Execution } from './execute';
import { summariseProfile, type ProfileSummary } from './profile';
import { startStubAgents, type StubProcess } from './stubProcess';
import type { StubStats } from './stubAgents';
import {
	benchWorkflow,
	HEADER_CREDENTIAL_REF,
	itemText,
	LETTA_CREDENTIAL_REF,
	MEASURED_NODE,
	type Measured,
} from './workflows';

/**
 * Heap Send Agent Message may grow by per 1,000 items of 1 KB text (the memory case: the
 * highest heap V8 reports during the node's run, minus the heap before it). A budget kept
 * by the benchmark's output, not by a test: heap figures move with when V8 collects.
 */
export const HEAP_BUDGET_MB_PER_1000 = 60;

/** The stub's key: not a secret (loopback only). */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a stub's key on loopback
const BENCH_KEY = 'sk-let-bench-stub-key-0000';

export interface N8nVariant {
	id: string;
	label: string;
	measured: Measured | ((stubUrl: string) => Measured);
}

export interface N8nCase {
	id: string;
	label: string;
	items: number;
	agents: number;
	latencyMs: number;
	rounds: number;
	variants: N8nVariant[];
	/** Memory case: n8n runs with --trace-gc. */
	traceGc?: boolean;
}

export interface N8nSample {
	round: number;
	nodeMs: number;
	/** From the node's start to the first request the stub received. */
	firstRequestMs: number;
	cpuMs: number | null;
	heapMbPer1000: number | null;
	peakRssMb: number;
	maxInFlightPerAgent: number;
	maxInFlight: number;
	/** The stub's median answer -> next message on one agent (see StubStats). */
	gapMs: number | null;
}

export interface N8nVariantResult {
	caseId: string;
	id: string;
	label: string;
	samples: N8nSample[];
	discarded: string[];
}

const lettaVariant = (concurrency: number, label?: string): N8nVariant => ({
	id: `letta-c${concurrency}`,
	label: label ?? `Send Agent Message, concurrency ${concurrency}`,
	measured: { kind: 'letta', concurrency },
});
const httpVariant: N8nVariant = {
	id: 'http',
	label: 'HTTP Request node (Header Auth)',
	measured: (baseUrl) => ({ kind: 'httpRequest', baseUrl }),
};

/** The first of each id: the default concurrency may be one already measured. */
function uniqueById(variants: N8nVariant[]): N8nVariant[] {
	return variants.filter(
		(variant, index) => variants.findIndex((other) => other.id === variant.id) === index,
	);
}

export function n8nCases(quick: boolean): N8nCase[] {
	const rounds = quick ? 2 : 3;
	const defaultLabel = `Send Agent Message, default concurrency (${DEFAULT_CONCURRENCY})`;
	return [
		{
			id: 'latency200',
			label: '200 items, 20 agents, 200 ms per message',
			items: 200,
			agents: 20,
			latencyMs: 200,
			rounds,
			variants: uniqueById([
				lettaVariant(DEFAULT_CONCURRENCY, defaultLabel),
				lettaVariant(20),
				lettaVariant(10),
				lettaVariant(5),
				httpVariant,
			]),
		},
		{
			id: 'cpu',
			label: '200 items, 20 agents, 0 ms (CPU per item)',
			items: 200,
			agents: 20,
			latencyMs: 0,
			rounds,
			variants: [lettaVariant(20), httpVariant],
		},
		{
			id: 'latency50',
			label: '1000 items, 50 agents, 50 ms per message',
			items: 1000,
			agents: 50,
			latencyMs: 50,
			rounds,
			variants: [lettaVariant(50), httpVariant],
		},
		{
			id: 'memory',
			label: `${quick ? 2000 : 10_000} items, 50 agents, 0 ms (memory)`,
			items: quick ? 2000 : 10_000,
			agents: 50,
			latencyMs: 0,
			rounds: quick ? 1 : 2,
			variants: [lettaVariant(50), httpVariant],
			traceGc: true,
		},
	];
}

function workflowId(benchCase: N8nCase, variant: N8nVariant): string {
	return `bench-${benchCase.id}-${variant.id}`.slice(0, 40);
}

function replyOf(item: N8nItem, variant: N8nVariant, stubUrl: string): unknown {
	const measured =
		typeof variant.measured === 'function' ? variant.measured(stubUrl) : variant.measured;
	if (measured.kind === 'letta') return item.json.reply;
	const messages = item.json.messages as Array<{ content?: unknown }> | undefined;
	return messages?.[0]?.content;
}

/** Why a run measures nothing (wrong count, wrong text, an error), or undefined when it is right. */
function problemOf(
	execution: Execution,
	stats: StubStats,
	benchCase: N8nCase,
	variant: N8nVariant,
	stubUrl: string,
): string | undefined {
	const { run } = execution;
	if (!run) {
		const tail = execution.stderr.trim().split('\n').slice(-3).join(' | ');
		return `n8n printed no run (exit ${String(execution.exitCode)}): ${tail}`;
	}
	const error = run.data.resultData.error;
	if (error) return `the execution failed: ${error.message}`;
	const task = run.data.resultData.runData[MEASURED_NODE]?.[0];
	const items = task?.data?.main?.[0] ?? [];
	if (items.length !== benchCase.items) return `${items.length} items out, not ${benchCase.items}`;
	if (stats.requests !== benchCase.items)
		return `${stats.requests} requests, not ${benchCase.items}`;
	if (stats.unauthorized > 0) return `${stats.unauthorized} requests without the key`;
	for (let index = 0; index < items.length; index++) {
		if (items[index].error) return `item ${index} failed`;
		if (replyOf(items[index], variant, stubUrl) !== `heard: ${itemText(index)}`)
			return `item ${index} has another item's reply or none`;
	}
	return undefined;
}

function sampleOf(
	execution: Execution,
	stats: StubStats,
	benchCase: N8nCase,
	round: number,
): N8nSample {
	const task = execution.run?.data.resultData.runData[MEASURED_NODE]?.[0];
	const start = task?.startTime ?? 0;
	const nodeMs = task?.executionTime ?? 0;
	const heap = heapGrowthMb(execution.gc, start, start + nodeMs);
	return {
		round,
		nodeMs,
		firstRequestMs: (stats.firstRequestAt ?? start) - start,
		cpuMs: cpuBetween(execution.cpu, start, start + nodeMs) ?? null,
		heapMbPer1000: heap === undefined ? null : (heap * 1000) / benchCase.items,
		peakRssMb: execution.peakRssMb,
		maxInFlightPerAgent: stats.maxInFlightPerAgent,
		maxInFlight: stats.maxInFlight,
		gapMs: stats.medianGapMs,
	};
}

interface Setup {
	n8n: N8n;
	stub: StubProcess;
	userFolder: string;
}

async function setUp(cases: N8nCase[], log: (message: string) => void): Promise<Setup> {
	await ensureN8n({ log });
	log('building and packing the package...');
	const tarball = await buildAndPack(join(cacheDir, 'bench-n8n-pack'));
	const userFolder = mkdtempSync(join(cacheDir, 'bench-n8n-'));
	const n8n = new N8n({
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		cliBrokerPort: await freePort(),
		encryptionKey: newEncryptionKey(),
		logFormat: 'json',
	});
	await installTarballAsN8nDoes(tarball, userFolder);
	const stub = await startStubAgents(BENCH_KEY);
	log(`stub agents at ${stub.url}; importing credentials and ${cases.length} cases' workflows...`);
	await n8n.importCredentials([
		{
			...LETTA_CREDENTIAL_REF,
			type: 'lettaCommunityApi',
			data: { apiKey: BENCH_KEY, baseUrl: stub.url, projectId: '' },
		},
		{
			...HEADER_CREDENTIAL_REF,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${BENCH_KEY}` },
		},
	]);
	await n8n.importWorkflows(
		cases.flatMap((benchCase) =>
			benchCase.variants.map((variant) =>
				benchWorkflow(
					workflowId(benchCase, variant),
					benchCase,
					typeof variant.measured === 'function' ? variant.measured(stub.url) : variant.measured,
				),
			),
		),
	);
	return { n8n, stub, userFolder };
}

/** Every case, its variants interleaved round by round (the order rotates per round). */
export async function runN8nGroup(
	cases: N8nCase[],
	log: (message: string) => void,
	progress: (mark: string) => void,
): Promise<N8nVariantResult[]> {
	const { n8n, stub, userFolder } = await setUp(cases, log);
	const results: N8nVariantResult[] = [];
	try {
		for (const benchCase of cases) {
			log(`[real n8n: ${benchCase.label}]`);
			const byVariant = new Map<string, N8nVariantResult>(
				benchCase.variants.map((variant) => [
					variant.id,
					{
						caseId: benchCase.id,
						id: variant.id,
						label: variant.label,
						samples: [],
						discarded: [],
					},
				]),
			);
			// one untimed warm-up (disk caches, the package's first load)
			await executeWatched(n8n.options, workflowId(benchCase, benchCase.variants[0]));
			for (let round = 0; round < benchCase.rounds; round++) {
				const count = benchCase.variants.length;
				for (let position = 0; position < count; position++) {
					const variant = benchCase.variants[(round + position) % count];
					await stub.reset(benchCase.latencyMs);
					const execution = await executeWatched(
						n8n.options,
						workflowId(benchCase, variant),
						benchCase.traceGc ? ['--trace-gc'] : [],
					);
					const stats = await stub.stats();
					const result = byVariant.get(variant.id);
					const problem = problemOf(execution, stats, benchCase, variant, stub.url);
					if (problem) {
						result?.discarded.push(`round ${round}: ${problem}`);
						log(
							`\n  discarded ${variant.label}, round ${round}: ${problem} ${execution.stderr.slice(-500)}`,
						);
					} else {
						result?.samples.push(sampleOf(execution, stats, benchCase, round));
						progress('.');
					}
				}
			}
			progress('\n');
			results.push(...byVariant.values());
		}
	} finally {
		stub.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
	return results;
}

export const PROFILE_CASE: N8nCase = {
	id: 'profile',
	label: '1000 items, 20 agents, 0 ms, under --cpu-prof',
	items: 1000,
	agents: 20,
	latencyMs: 0,
	rounds: 1,
	variants: [lettaVariant(20)],
};

/** One run of PROFILE_CASE with n8n under V8's profiler: where the node's CPU goes. */
export async function profileN8n(log: (message: string) => void): Promise<ProfileSummary> {
	const { n8n, stub, userFolder } = await setUp([PROFILE_CASE], log);
	try {
		const id = workflowId(PROFILE_CASE, PROFILE_CASE.variants[0]);
		await executeWatched(n8n.options, id);
		await stub.reset(0);
		const directory = join(userFolder, 'cpu-profile');
		const execution = await executeWatched(n8n.options, id, [
			'--cpu-prof',
			`--cpu-prof-dir=${directory}`,
		]);
		const problem = problemOf(
			execution,
			await stub.stats(),
			PROFILE_CASE,
			PROFILE_CASE.variants[0],
			stub.url,
		);
		if (problem) throw new Error(`the profiled run is wrong: ${problem}`);
		return summariseProfile(directory);
	} finally {
		stub.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

// ---- report ----

const fmt = (value: number, digits = 0) => value.toFixed(digits);
const range = (s: Spread, digits = 0) =>
	`${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
const of = (samples: N8nSample[], metric: (sample: N8nSample) => number | null) => {
	const values = samples.map(metric).filter((value): value is number => value !== null);
	return values.length ? spread(values) : null;
};

export function formatN8nTable(cases: N8nCase[], results: N8nVariantResult[]): string {
	const header =
		'variant                                          runs  node ms med (min-max)  vs limit  1st req ms  CPU ms/item  heap MB/1k  peak RSS MB  max/agent  gap ms';
	const lines = [header];
	for (const benchCase of cases) {
		lines.push(`[${benchCase.label}]`);
		const limit = (benchCase.items / benchCase.agents) * benchCase.latencyMs;
		for (const result of results.filter((entry) => entry.caseId === benchCase.id)) {
			const node = of(result.samples, (sample) => sample.nodeMs);
			const first = of(result.samples, (sample) => sample.firstRequestMs);
			const cpu = of(result.samples, (sample) =>
				sample.cpuMs === null ? null : sample.cpuMs / benchCase.items,
			);
			const heap = of(result.samples, (sample) => sample.heapMbPer1000);
			const rss = of(result.samples, (sample) => sample.peakRssMb);
			const inFlight = Math.max(0, ...result.samples.map((sample) => sample.maxInFlightPerAgent));
			const gap = of(result.samples, (sample) => sample.gapMs);
			lines.push(
				[
					result.label.padEnd(48),
					String(result.samples.length).padStart(4),
					(node ? range(node) : '-').padStart(21),
					(node && limit > 0 ? `${fmt(node.median / limit, 2)}x` : '-').padStart(9),
					(first ? fmt(first.median) : '-').padStart(11),
					(cpu ? range(cpu, 2) : '-').padStart(12),
					(heap ? fmt(heap.median, 1) : '-').padStart(11),
					(rss ? fmt(rss.max) : '-').padStart(12),
					String(inFlight).padStart(10),
					(gap ? fmt(gap.median) : '-').padStart(7),
				].join(' '),
			);
			for (const reason of result.discarded) lines.push(`    discarded: ${reason}`);
		}
	}
	return lines.join('\n');
}

export interface N8nRatio {
	label: string;
	values: number[];
	target?: { max: number; met: boolean };
}

function perRound(
	results: N8nVariantResult[],
	caseId: string,
	numeratorId: string,
	denominatorId: string,
	metric: (sample: N8nSample) => number | null,
): number[] {
	const find = (id: string) =>
		results.find((result) => result.caseId === caseId && result.id === id)?.samples ?? [];
	const bottom = find(denominatorId);
	return find(numeratorId).flatMap((sample) => {
		const partner = bottom.find((other) => other.round === sample.round);
		const top = metric(sample);
		const under = partner ? metric(partner) : null;
		return top !== null && under !== null && under > 0 ? [top / under] : [];
	});
}

export function n8nRatios(cases: N8nCase[], results: N8nVariantResult[]): N8nRatio[] {
	const latency = cases.find((entry) => entry.id === 'latency200');
	const limit200 = latency ? (latency.items / latency.agents) * latency.latencyMs : 1;
	const c20 = results.find((result) => result.caseId === 'latency200' && result.id === 'letta-c20');
	const overLimit = c20?.samples.map((sample) => sample.nodeMs / limit200) ?? [];
	const inFlight = Math.max(0, ...(c20?.samples.map((sample) => sample.maxInFlightPerAgent) ?? []));
	const cpu = perRound(results, 'cpu', 'letta-c20', 'http', (sample) => sample.cpuMs);
	const fast = perRound(results, 'latency50', 'letta-c50', 'http', (sample) => sample.nodeMs);
	const memory =
		results
			.find((result) => result.caseId === 'memory' && result.id === 'letta-c50')
			?.samples.flatMap((sample) =>
				sample.heapMbPer1000 === null ? [] : [sample.heapMbPer1000],
			) ?? [];
	const met = (values: number[], max: number) => values.length > 0 && median(values) <= max;
	return [
		{
			label: `200/20/200 ms, concurrency 20: node time / physical limit (${limit200} ms)`,
			values: overLimit,
			target: { max: 1.15, met: met(overLimit, 1.15) && inFlight <= 1 },
		},
		{
			label: '200/20/200 ms: node time, concurrency 20 / HTTP Request',
			values: perRound(results, 'latency200', 'letta-c20', 'http', (sample) => sample.nodeMs),
		},
		{
			label: '200/20/0 ms: CPU in the node, Send Agent Message / HTTP Request',
			values: cpu,
			target: { max: 0.5, met: met(cpu, 0.5) },
		},
		{
			label: '1000/50/50 ms, concurrency 50: node time / HTTP Request',
			values: fast,
			target: { max: 1, met: met(fast, 0.999) },
		},
		{
			label: 'memory: heap growth MB per 1k items, Send Agent Message (budget)',
			values: memory,
			// every run within the budget, not only the median
			target: {
				max: HEAP_BUDGET_MB_PER_1000,
				met: memory.length > 0 && Math.max(...memory) <= HEAP_BUDGET_MB_PER_1000,
			},
		},
		{
			label: 'memory: heap growth per 1k items, Send Agent Message / HTTP Request',
			values: perRound(results, 'memory', 'letta-c50', 'http', (sample) => sample.heapMbPer1000),
		},
	];
}

export function formatN8nRatios(ratios: N8nRatio[]): string {
	return ratios
		.map((entry) => {
			const value = entry.values.length
				? `${fmt(median(entry.values), 2)} (${fmt(Math.min(...entry.values), 2)}-${fmt(Math.max(...entry.values), 2)})`
				: '-';
			const target = entry.target
				? `  target <= ${entry.target.max}: ${entry.target.met ? 'met' : 'NOT met'}`
				: '';
			return `${entry.label.padEnd(72)} ${value}${target}`;
		})
		.join('\n');
}
