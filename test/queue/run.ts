/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * The queue-mode tier: this package in n8n scaled out the way n8n documents it. PostgreSQL,
 * Redis, the pinned n8n as main + two workers + one webhook process (test/n8n/queue/), each
 * with the package installed from its tarball as n8n installs it, against the Letta simulator
 * behind the Prism validator. README.md of this folder lists the cases.
 *
 *   tsx test/queue/run.ts [--keep]
 *
 * Closes with the figures (executions per worker, turns, duplicates, lost) and `N passed,
 * M failed`; exits non-zero on any failure. Stops everything it started, on Ctrl-C too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import {
	buildAndPack,
	cacheDir,
	DEMO_OWNER,
	ensureN8n,
	LETTA_CREDENTIAL,
	onShutdown,
	QueueCluster,
	repoRoot,
	startSimulatorProcess,
	stopAll,
	type WorkflowJson,
	runCheck,
	seconds,
} from '../n8n';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';
import {
	APPROVAL_AGENTS,
	approvalsAnswered,
	approvalsFirstPoll,
	callbackResumesOnWorker,
	scheduledJobOverlap,
	SCHEDULE_SECONDS,
	type CaseContext,
	type Tally,
} from './cases';
import { streamsThroughWorker, type StreamingExample } from './streamingCases';
import { executionsOutsideWorkers, jobsByExecution } from './support';

const { values: flags } = parseArgs({
	options: { keep: { type: 'boolean', default: false } },
	strict: true,
});

const runDir = path.join(cacheDir, 'queue', 'run');
/** Outside the repository, as for the e2e suite (test/e2e/README.md says why). */
const userFoldersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-letta-queue-'));
const started = Date.now();
const results: Array<{ name: string; problems: string[] }> = [];

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
	const phaseStarted = Date.now();
	const result = await work();
	console.log(`  note  ${what}: ${seconds(Date.now() - phaseStarted)}`);
	return result;
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as T;
}

/** An e2e case's workflow as n8n imports it (its `e2e` block is the suite's, not n8n's). */
function withoutE2eBlock(workflow: WorkflowJson & { e2e?: unknown }): WorkflowJson {
	const copy = { ...workflow };
	delete copy.e2e;
	return copy;
}

function saveRun(name: string, run: unknown): void {
	const dir = path.join(runDir, 'runs');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(run, null, 2));
}

async function check(name: string, work: () => Promise<string[]>): Promise<void> {
	results.push(await runCheck(name, work));
}

/** examples/scheduled-job.json, its Schedule Trigger every few seconds (it fires while a run still goes). */
function scheduledJobEveryFewSeconds(): WorkflowJson {
	const workflow = readJson<WorkflowJson>('examples/scheduled-job.json');
	return {
		...workflow,
		id: 'queueScheduledJob1',
		name: `${workflow.name} (every ${SCHEDULE_SECONDS} s)`,
		nodes: workflow.nodes.map((node) =>
			node.type === 'n8n-nodes-base.scheduleTrigger'
				? {
						...node,
						parameters: {
							rule: { interval: [{ field: 'seconds', secondsInterval: SCHEDULE_SECONDS }] },
						},
					}
				: node,
		),
	};
}

/** An example's streaming webhook call, as the e2e suite's test/e2e/examples.json has it. */
function streamingExample(file: string): StreamingExample & { workflow: WorkflowJson } {
	const workflow = readJson<WorkflowJson>(`examples/${file}`);
	const specs =
		readJson<Record<string, { webhook?: StreamingExample['call'] }>>('test/e2e/examples.json');
	const call = specs[file]?.webhook;
	if (!call?.stream) throw new Error(`test/e2e/examples.json has no streaming webhook for ${file}`);
	return { workflow, workflowId: workflow.id ?? '', call };
}

interface ScheduledJobSettings {
	prompt: string;
	agents: string[];
}

function scheduledJobSettings(workflow: WorkflowJson): ScheduledJobSettings {
	const node = workflow.nodes.find((entry) => entry.name === 'Agents to ask');
	const raw = (node?.parameters as { jsonOutput?: string } | undefined)?.jsonOutput ?? '{}';
	return JSON.parse(raw) as ScheduledJobSettings;
}

async function main(): Promise<void> {
	onShutdown(() => fs.rmSync(userFoldersDir, { recursive: true, force: true }));
	fs.rmSync(runDir, { recursive: true, force: true });
	fs.mkdirSync(runDir, { recursive: true });
	console.log(
		`queue mode: main + 2 workers + webhook process on PostgreSQL and Redis; logs in ${path.relative(repoRoot, runDir)}`,
	);
	await ensureN8n({ log: (message) => console.log(message) });
	const tarball = await timed(
		'build + npm pack',
		async () => await buildAndPack(path.join(runDir, 'pack')),
	);
	const sim = await timed(
		'simulator start',
		async () =>
			await startSimulatorProcess({
				validate: true,
				logFile: path.join(runDir, 'simulator.log'),
			}),
	);
	const control = new SimulatorControl(sim.simulatorUrl);
	const cluster = await timed(
		'PostgreSQL, Redis, package into 4 user folders',
		async () =>
			await QueueCluster.prepare({
				tarball,
				userFoldersDir,
				logDir: runDir,
				workers: 2,
				// one execution at a time per worker: two executions at once are on two workers
				workerConcurrency: 1,
				log: (message) => console.log(message),
			}),
	);
	const tally: Tally = { accepted: {}, busy: 0, duplicates: 0, lost: 0 };
	const context: CaseContext = { cluster, control, tally, saveRun };
	try {
		const scheduled = scheduledJobEveryFewSeconds();
		const approval = readJson<WorkflowJson>('examples/local-approval.json');
		const callback = withoutE2eBlock(
			readJson<WorkflowJson & { e2e?: unknown }>('test/e2e/workflows/callback-wait-one.json'),
		);
		const callbackPath = 'e2e-callback-one';
		const streamingFiles = ['chat.json', 'stream-to-webhook.json'];
		const streaming = streamingFiles.map(streamingExample);
		const { main: mainProcess } = cluster;
		await mainProcess.importCredentials([
			{
				...LETTA_CREDENTIAL,
				data: { apiKey: SIMULATOR_API_KEY, baseUrl: sim.apiUrl, projectId: '' },
			},
		]);
		await mainProcess.importWorkflows([
			scheduled,
			approval,
			callback,
			...streaming.map((entry) => entry.workflow),
		]);
		for (const id of [approval.id, callback.id, ...streaming.map((entry) => entry.workflowId)])
			await mainProcess.publishWorkflow(id ?? '');
		// the trigger polls once when main activates the workflow: the first approvals are there
		await control.reset();
		for (const agentId of APPROVAL_AGENTS.first)
			await control.seedPendingApproval({ agentId, text: `/tmp/${agentId.slice(-3)}.txt` });
		const startedCluster = Date.now();
		await cluster.start();
		console.log(
			`  note  main, ${cluster.workers.length} workers and the webhook process ready in ${seconds(Date.now() - startedCluster)}`,
		);
		await mainProcess.ensureOwner(DEMO_OWNER);

		await check(
			'Letta Trigger on main: the first poll starts one execution, which waits for a human',
			async () => (await approvalsFirstPoll(context, approval.id ?? '')).problems,
		);
		const { prompt, agents } = scheduledJobSettings(scheduled);
		await check(
			'scheduled job: two executions at once on different workers, same agents: none lost, none sent twice, busy waited out',
			async () => await scheduledJobOverlap(context, scheduled.id ?? '', prompt, agents),
		);
		await check(
			'Wait for Callback: starts on a worker, Letta calls back the webhook process, resumes on a worker',
			async () => await callbackResumesOnWorker(context, callback.id ?? '', callbackPath),
		);
		for (const [index, example] of streaming.entries())
			await check(
				`${streamingFiles[index]} streams through a worker: the webhook process writes the worker's chunks as they come`,
				async () => await streamsThroughWorker(context, example),
			);
		await check(
			'Letta Trigger: the next poll emits only the new approval; approve links resume through the webhook process; each approval answered once',
			async () => await approvalsAnswered(context, approval.id ?? ''),
		);
		await check('main and the webhook process ran no execution themselves', async () =>
			executionsOutsideWorkers(cluster),
		);
		report(cluster, tally, await control.requests());
	} finally {
		await cluster.stop();
		await sim.stop();
	}
}

function report(
	cluster: QueueCluster,
	tally: Tally,
	requests: Awaited<ReturnType<SimulatorControl['requests']>>,
): void {
	const jobs = jobsByExecution(cluster);
	console.log('');
	console.log('figures:');
	for (const worker of cluster.workers) {
		const executions = [...jobs]
			.filter(([, workers]) => workers.includes(worker.name))
			.map(([id]) => id);
		const jobCount = [...jobs.values()].flat().filter((name) => name === worker.name).length;
		console.log(
			`  ${worker.name}: ${executions.length} executions (${jobCount} jobs): ${executions.join(', ')}`,
		);
	}
	console.log(`  requests to Letta: ${requests.length}`);
	for (const [name, count] of Object.entries(tally.accepted))
		console.log(`  turns accepted (${name}): ${count}`);
	console.log(`  409 busy, waited out: ${tally.busy}`);
	console.log(`  duplicates: ${tally.duplicates}`);
	console.log(`  lost: ${tally.lost}`);
}

main()
	.catch((error: unknown) => {
		results.push({
			name: 'queue-mode tier ran to the end',
			problems: [error instanceof Error ? (error.stack ?? error.message) : String(error)],
		});
		console.log(`  FAIL  stopped: ${error instanceof Error ? error.message : String(error)}`);
	})
	.finally(async () => {
		await stopAll();
		const failed = results.filter((result) => result.problems.length > 0);
		console.log(`  total ${seconds(Date.now() - started)}`);
		console.log('');
		console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
		if (failed.length === 0 && !flags.keep)
			fs.rmSync(userFoldersDir, { recursive: true, force: true });
		else
			console.log(`n8n user folders: ${userFoldersDir}; logs: ${path.relative(repoRoot, runDir)}`);
		process.exit(failed.length > 0 ? 1 : 0);
	});
