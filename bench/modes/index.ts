/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark tooling runs in plain Node, outside n8n */
/**
 * `npm run bench -- --modes [--quick]`: Send Agent Message's wait modes side by side in real
 * n8n against the simulator's Long Worker. See bench/README.md, "Wait modes in real n8n".
 */
import { cpus, loadavg } from 'node:os';

import { writeResults } from '../report';
import { startBenchInstance } from './instance';
import { memoryTrial, waitingPhase, type MemoryTrial } from './phases';
import {
	formatMemory,
	formatModes,
	summariseMemory,
	summariseModes,
	type MemorySummary,
	type ModeSummary,
} from './summary';
import { BENCH_MODES, type BenchMode } from './workflows';

interface ModesProfile {
	name: 'default' | 'quick';
	/** Waiting phase: the shortest run, runs per mode, the step between their lengths. */
	workMs: number;
	runsPerMode: number;
	lengthStepMs: number;
	/** Memory phase: runs waiting at once, their length, rounds of (Wait for Callback, Stream). */
	memoryRuns: number;
	memoryWorkMs: number;
	memoryRounds: number;
}

const PROFILES: Record<ModesProfile['name'], ModesProfile> = {
	default: {
		name: 'default',
		workMs: 30_000,
		runsPerMode: 5,
		lengthStepMs: 1_000,
		memoryRuns: 100,
		memoryWorkMs: 45_000,
		memoryRounds: 1,
	},
	quick: {
		name: 'quick',
		workMs: 20_000,
		runsPerMode: 3,
		lengthStepMs: 1_700,
		memoryRuns: 100,
		memoryWorkMs: 45_000,
		memoryRounds: 1,
	},
};

/** The group's own limit: it stops by itself even if something hangs. */
const HARD_LIMIT_MS = 10 * 60_000;
const RSS_SAMPLE_MS = 3_000;
const START_CONCURRENCY = 10;
const END_SPREAD_MS = 300;
const WARM_UP = { workMs: 500, runsPerMode: 1, lengthStepMs: 0 };

function mode(value: BenchMode['mode']): BenchMode {
	const found = BENCH_MODES.find((entry) => entry.mode === value);
	if (!found) throw new Error(`no bench mode ${value}`);
	return found;
}

function summaryLine(modes: ModeSummary[], memory: MemorySummary[]): string {
	const latency = (label: string) =>
		modes.find((entry) => entry.mode === label)?.endToOutputMs.median.toFixed(0) ?? '-';
	const rate = (label: string) =>
		modes.find((entry) => entry.mode === label)?.requestsPerMinuteWaiting.median.toFixed(1) ?? '-';
	const waiting = (label: string) =>
		memory.find((entry) => entry.mode === label)?.waitingMb.median.toFixed(0) ?? '-';
	return (
		`SUMMARY run end -> output ms: ${BENCH_MODES.map((entry) => `${entry.label} ${latency(entry.label)}`).join(', ')} | ` +
		`requests/min waiting: ${BENCH_MODES.map((entry) => `${entry.label} ${rate(entry.label)}`).join(', ')} | ` +
		`n8n RSS while ${memory[0]?.runs ?? 0} runs wait: Stream ${waiting('Stream')} MB, Wait for Callback ${waiting('Wait for Callback')} MB`
	);
}

export async function runModesBench(options: { quick: boolean; out: string }): Promise<void> {
	const profile = PROFILES[options.quick ? 'quick' : 'default'];
	const watchdog = setTimeout(() => {
		console.error(`bench --modes: still running after ${HARD_LIMIT_MS / 1000} s, giving up`);
		process.exit(2);
	}, HARD_LIMIT_MS);
	watchdog.unref();
	const started = performance.now();
	const loadBefore = loadavg()[0];
	console.log(
		`bench --modes (${profile.name}): Node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.toFixed(1)}; set-up:`,
	);
	const instance = await startBenchInstance((line) => console.log(line));
	let modes: ModeSummary[];
	const trials: MemoryTrial[] = [];
	try {
		await waitingPhase(instance, WARM_UP, () => undefined);
		process.stdout.write(
			`waiting: ${profile.runsPerMode} runs per mode of ${profile.workMs / 1000} s + 0..${((profile.runsPerMode - 1) * profile.lengthStepMs) / 1000} s, interleaved `,
		);
		const phaseStarted = performance.now();
		const runs = await waitingPhase(instance, profile, () => process.stdout.write('.'));
		console.log(` ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
		modes = summariseModes(runs);
		for (let round = 0; round < profile.memoryRounds; round++) {
			for (const value of ['waitForCallback', 'stream'] as const) {
				const trialStarted = performance.now();
				const trial = await memoryTrial(instance, mode(value), round, {
					runs: profile.memoryRuns,
					workMs: profile.memoryWorkMs,
					sampleMs: RSS_SAMPLE_MS,
					startConcurrency: START_CONCURRENCY,
					endSpreadMs: END_SPREAD_MS,
				});
				trials.push(trial);
				console.log(
					`memory: ${trial.runs} ${trial.mode} runs waiting: n8n RSS ${trial.idleMb.toFixed(0)} -> ${trial.waitingMb.toFixed(0)} MB ` +
						`(all started in ${(trial.startAllMs / 1000).toFixed(1)} s, ${trial.waitingExecutions} executions waiting in n8n, ` +
						`${trial.callbacksAnswered} callbacks answered, ${trial.failedExecutions} executions failed, ` +
						`${trial.replies} replies, ${trial.noCallback} no_callback at the deadline; ` +
						`${((performance.now() - trialStarted) / 1000).toFixed(1)} s)`,
				);
				for (const error of trial.startErrors) console.log(`  a start failed: ${error}`);
			}
		}
	} finally {
		await instance.stop();
	}
	const memory = summariseMemory(trials);
	const loadAfter = loadavg()[0];
	console.log(`\n${formatModes(modes)}\n\n${formatMemory(memory)}\n`);
	console.log(
		`took ${((performance.now() - started) / 1000).toFixed(1)} s; 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
	);
	console.log(summaryLine(modes, memory));
	writeResults(
		options.out,
		{ before: loadBefore, after: loadAfter },
		{
			profile,
			durationSeconds: (performance.now() - started) / 1000,
			modes,
			memory,
			memoryTrials: trials,
		},
	);
}
