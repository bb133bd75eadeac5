/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * The real n8n the wait-mode benchmark measures: the pinned n8n (`n8n start`: Wait for
 * Callback resumes through its webhook server) with this package packed and installed the way
 * n8n installs a community package, the wait-mode workflow published, and the Letta
 * simulator as its own process (no Prism in front: a proxy hop the benchmark does not need).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	DEMO_OWNER,
	LETTA_CREDENTIAL,
	N8n,
	SIMULATOR_API_KEY,
	buildAndPack,
	cacheDir,
	ensureN8n,
	freePort,
	installTarballAsN8nDoes,
	newEncryptionKey,
	startSimulatorProcess,
	type RunningSimulatorProcess,
} from '../../test/n8n';
import { SimulatorControl } from '../../test/simulator/control';
import { BENCH_WORKFLOW_ID, benchWorkflow } from './workflows';

/** Where the logs of the last run stay. */
const BENCH_LOG_DIR = path.join(cacheDir, 'bench-modes');

export interface BenchInstance {
	n8n: N8n;
	simulator: RunningSimulatorProcess;
	control: SimulatorControl;
	/** The n8n main process, whose RSS is measured. */
	n8nPid: number;
	stop(): Promise<void>;
}

/** Sets everything up; `log` gets one line per step with its duration. */
export async function startBenchInstance(log: (line: string) => void): Promise<BenchInstance> {
	const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
		const started = performance.now();
		const result = await work();
		log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
		return result;
	};
	await step('n8n install check', async () => await ensureN8n());
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-letta-bench-modes-'));
	const tarball = await step(
		'build + npm pack',
		async () => await buildAndPack(path.join(workDir, 'pack')),
	);
	// logs of the last run stay (the user folder does not)
	fs.rmSync(BENCH_LOG_DIR, { recursive: true, force: true });
	fs.mkdirSync(BENCH_LOG_DIR, { recursive: true });
	const simulator = await startSimulatorProcess({
		logFile: path.join(BENCH_LOG_DIR, 'simulator.log'),
	});
	const n8n = new N8n({
		userFolder: path.join(workDir, 'n8n-user'),
		port: await freePort(),
		brokerPort: await freePort(),
		cliBrokerPort: await freePort(),
		encryptionKey: newEncryptionKey(),
		serverLogFile: path.join(BENCH_LOG_DIR, 'n8n.log'),
	});
	const stop = async () => {
		await n8n.stop();
		await simulator.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
	};
	let started = false;
	try {
		await step(
			'install the tarball as n8n does',
			async () => await installTarballAsN8nDoes(tarball, n8n.options.userFolder),
		);
		await step('import + publish the workflows', async () => {
			await n8n.importCredentials([
				{
					...LETTA_CREDENTIAL,
					data: { apiKey: SIMULATOR_API_KEY, baseUrl: simulator.apiUrl, projectId: '' },
				},
			]);
			await n8n.importWorkflows([benchWorkflow()]);
			await n8n.publishWorkflow(BENCH_WORKFLOW_ID);
		});
		await step('n8n start', async () => await n8n.start());
		await n8n.ensureOwner(DEMO_OWNER);
		const n8nPid = n8n.server.pid;
		if (n8nPid === undefined) throw new Error('n8n start is not running');
		started = true;
		return {
			n8n,
			simulator,
			control: new SimulatorControl(simulator.simulatorUrl),
			n8nPid,
			stop,
		};
	} finally {
		if (!started) await stop();
	}
}
