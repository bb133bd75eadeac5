/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * `n8n execute` of one workflow, watched from outside: the process's CPU time (utime + stime
 * from /proc/<pid>/stat, sampled every 10 ms, so the node's own window can be cut out of it),
 * its peak RSS (VmHWM), and with `--trace-gc` the heap V8 reports at every collection.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nOptions, N8nRun } from '../../test/n8n';
import { printedRun } from '../../test/n8n/instance/execute';
import { parseLogOutput } from '../../test/n8n/instance/log';
import { n8nCommand, n8nEnvironment } from '../../test/n8n/instance/options';

const SAMPLE_EVERY_MS = 10;
/** Linux reports CPU time in clock ticks of 10 ms (USER_HZ 100). */
const MS_PER_TICK = 10;
const EXECUTE_TIMEOUT_MS = 5 * 60_000;

export interface CpuSample {
	/** Epoch ms. */
	at: number;
	cpuMs: number;
}

export interface GcEvent {
	/** Epoch ms (process start + V8's ms since start). */
	at: number;
	/** Heap used before and after the collection, MB. */
	beforeMb: number;
	afterMb: number;
}

export interface Execution {
	run: N8nRun | null;
	exitCode: number | string;
	stderr: string;
	cpu: CpuSample[];
	peakRssMb: number;
	gc: GcEvent[];
}

function readCpuMs(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// fields after the command name (which may hold spaces) in parentheses
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
	} catch {
		return undefined;
	}
}

function readPeakRssMb(pid: number): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

// e.g. "[123:0x5a…]     5309 ms: Scavenge 61.8 (70.3) -> 57.1 (70.8) MB, …"
const GC_LINE = /\]\s+(\d+) ms: [A-Za-z -]+? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

/** Ends the process group (n8n's task runner too); nothing to do when it is gone. */
function killGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

export async function executeWatched(
	options: N8nOptions,
	workflowId: string,
	nodeFlags: string[] = [],
): Promise<Execution> {
	const { command, args } = n8nCommand(['execute', `--id=${workflowId}`, '--rawOutput']);
	// Output to files, not pipes: a file is written synchronously, while a pipe loses what n8n
	// still had to write when it exits (a 10,000-item run printed is tens of MB).
	const outputDir = mkdtempSync(join(options.userFolder, 'execute-'));
	const stdoutFile = join(outputDir, 'stdout');
	const stderrFile = join(outputDir, 'stderr');
	const stdoutFd = openSync(stdoutFile, 'w');
	const stderrFd = openSync(stderrFile, 'w');
	const startedAt = Date.now();
	const child = spawn(command, [...nodeFlags, ...args], {
		cwd: options.userFolder,
		env: n8nEnvironment(options, {
			N8N_RUNNERS_BROKER_PORT: String(options.cliBrokerPort),
			N8N_LOG_FORMAT: 'json',
		}),
		detached: true,
		stdio: ['ignore', stdoutFd, stderrFd],
	});
	closeSync(stdoutFd);
	closeSync(stderrFd);
	const pid = child.pid ?? -1;
	const killOnExit = () => killGroup(pid);
	process.once('exit', killOnExit);
	const exited = new Promise<number | string>((resolve) =>
		child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
	);
	const cpu: CpuSample[] = [];
	let peakRssMb = 0;
	const sampler = setInterval(() => {
		const cpuMs = readCpuMs(pid);
		if (cpuMs !== undefined) cpu.push({ at: Date.now(), cpuMs });
		peakRssMb = Math.max(peakRssMb, readPeakRssMb(pid) ?? 0);
	}, SAMPLE_EVERY_MS);
	const timer = setTimeout(() => killGroup(pid), EXECUTE_TIMEOUT_MS);
	const exitCode = await exited;
	clearInterval(sampler);
	clearTimeout(timer);
	killGroup(pid);
	process.off('exit', killOnExit);
	const stdout = readFileSync(stdoutFile, 'utf8').split('\n');
	const stderr = readFileSync(stderrFile, 'utf8');
	rmSync(outputDir, { recursive: true, force: true });

	const gc: GcEvent[] = [];
	for (const line of stdout) {
		const match = GC_LINE.exec(line);
		if (match) {
			gc.push({
				at: startedAt + Number(match[1]),
				beforeMb: Number(match[2]),
				afterMb: Number(match[3]),
			});
		}
	}
	return {
		run: printedRun(parseLogOutput(stdout.filter((line) => !GC_LINE.test(line)).join('\n'))),
		exitCode,
		stderr,
		cpu,
		peakRssMb,
		gc,
	};
}

/** CPU time the process spent between two moments, from the samples around them. */
export function cpuBetween(samples: CpuSample[], from: number, to: number): number | undefined {
	const before = samples.filter((sample) => sample.at <= from).at(-1);
	const after = samples.find((sample) => sample.at >= to);
	if (!before || !after) return undefined;
	return after.cpuMs - before.cpuMs;
}

/**
 * Heap a window needed: the highest heap V8 saw there (before a collection) minus the heap
 * left after the last collection before it.
 */
export function heapGrowthMb(gc: GcEvent[], from: number, to: number): number | undefined {
	const baseline = gc.filter((event) => event.at <= from).at(-1);
	const inside = gc.filter((event) => event.at > from && event.at <= to + 50);
	if (!baseline || inside.length === 0) return undefined;
	return Math.max(...inside.map((event) => event.beforeMb)) - baseline.afterMb;
}
