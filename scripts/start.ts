/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- tooling runs in plain Node, outside n8n */
/**
 * The demo: `npm start` (after `npm install`).
 *
 *   tsx scripts/start.ts [--port 5678] [--fresh] [--validate]
 *
 * Builds this package, installs the pinned n8n if it is missing (first run: a few minutes),
 * starts the Letta simulator (or, with LETTA_BASE_URL and/or LETTA_API_KEY set, uses that
 * Letta instead), starts n8n on 127.0.0.1 with the package installed from its `npm pack`
 * tarball the way n8n installs community packages (recorded as n8n records one it installed, so
 * Settings > Community nodes lists it), imports a Letta credential and the workflows of
 * examples/, creates the owner account and prints the URL and login.
 * Ctrl-C stops everything it started. State lives in .n8n-demo/ (git-ignored): workflows
 * and credentials you change there survive a restart; --fresh starts over.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import {
	AGENT_IDS,
	buildAndPack,
	communityListingProblems,
	DEMO_OWNER,
	ensureN8n,
	expectedTypes,
	installTarballAsN8nDoes,
	isShuttingDown,
	LETTA_CREDENTIAL,
	loadedTypeProblems,
	N8n,
	preferredPort,
	REAL_LETTA_CREDENTIAL_NAME,
	repoRoot,
	SIMULATOR_API_KEY,
	startSimulatorProcess,
	stopAll,
	type WorkflowJson,
} from '../test/n8n';

const { values: flags } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.N8N_PORT ?? '5678' },
		'simulator-port': { type: 'string', default: '8283' },
		fresh: { type: 'boolean', default: false },
		validate: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false },
	},
	strict: true,
});

const demoDir = path.join(repoRoot, '.n8n-demo');
const stateFile = path.join(demoDir, 'demo-state.json');
const started = Date.now();

interface DemoState {
	encryptionKey: string;
	/** Hash of the credential data last imported (re-imported only when it changes). */
	credentialHash?: string;
}

function step(message: string): void {
	console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

function readState(): DemoState {
	if (fs.existsSync(stateFile)) {
		return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as DemoState;
	}
	return { encryptionKey: randomBytes(24).toString('hex') };
}

function writeState(state: DemoState): void {
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
}

function readExamples(): WorkflowJson[] {
	const dir = path.join(repoRoot, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as WorkflowJson)
		.filter((workflow) => typeof workflow.id === 'string');
}

function usage(): void {
	console.log(`Usage: npm start [-- --port 5678] [-- --fresh] [-- --validate]

  --port N            n8n's port on 127.0.0.1 (default 5678, or a free one if taken)
  --simulator-port N  the Letta simulator's port (default 8283, or a free one if taken)
  --fresh             forget the demo's n8n data (.n8n-demo/) and start over
  --validate          put the Prism spec validator in front of the simulator

Environment:
  LETTA_BASE_URL      use this Letta server instead of the simulator (e.g. http://localhost:8283)
  LETTA_API_KEY       its API key (alone: Letta Cloud, https://api.letta.com)
  LETTA_PROJECT_ID    optional Letta Cloud project`);
}

async function main(): Promise<void> {
	if (flags.help) {
		usage();
		return;
	}
	if (flags.fresh) fs.rmSync(demoDir, { recursive: true, force: true });
	fs.mkdirSync(demoDir, { recursive: true });
	const state = readState();
	writeState(state);

	step('Checking the pinned n8n install...');
	await ensureN8n({ log: step });

	step('Building the package (n8n-node build) and packing it (npm pack)...');
	const tarball = await buildAndPack();

	const n8n = new N8n({
		userFolder: demoDir,
		port: await preferredPort(Number(flags.port)),
		brokerPort: await preferredPort(Number(flags.port) + 1),
		cliBrokerPort: await preferredPort(Number(flags.port) + 2),
		encryptionKey: state.encryptionKey,
		logFormat: 'text',
		serverLogFile: path.join(demoDir, 'n8n.log'),
	});
	step(
		`Installing ${path.basename(tarball)} into .n8n-demo/.n8n/nodes the way n8n installs community packages...`,
	);
	const installed = await installTarballAsN8nDoes(tarball, demoDir);

	// Letta: a real one from the environment, or the simulator
	const realBaseUrl = process.env.LETTA_BASE_URL?.trim();
	const realApiKey = process.env.LETTA_API_KEY?.trim();
	let lettaDescription: string;
	let credentialData: Record<string, unknown>;
	let credentialName: string;
	if (realBaseUrl || realApiKey) {
		const baseUrl = realBaseUrl || 'https://api.letta.com';
		credentialData = {
			apiKey: realApiKey || 'no-key',
			baseUrl,
			projectId: process.env.LETTA_PROJECT_ID?.trim() ?? '',
		};
		credentialName = REAL_LETTA_CREDENTIAL_NAME;
		lettaDescription = `${baseUrl} (from LETTA_BASE_URL / LETTA_API_KEY)`;
		step(`Using the Letta server at ${baseUrl}: no simulator.`);
	} else {
		step('Starting the Letta simulator...');
		const sim = await startSimulatorProcess({
			port: await preferredPort(Number(flags['simulator-port'])),
			validate: flags.validate,
			logFile: path.join(demoDir, 'simulator.log'),
		});
		credentialData = { apiKey: SIMULATOR_API_KEY, baseUrl: sim.apiUrl, projectId: '' };
		credentialName = LETTA_CREDENTIAL.name;
		lettaDescription = `simulator at ${sim.apiUrl}${sim.validatorUrl ? ' (Prism validator in front)' : ''}, API key ${SIMULATOR_API_KEY}`;
	}

	const credentialHash = createHash('sha256')
		.update(JSON.stringify({ credentialName, credentialData }))
		.digest('hex');
	if (state.credentialHash !== credentialHash) {
		step(`Importing the credential "${credentialName}" (id ${LETTA_CREDENTIAL.id})...`);
		await n8n.importCredentials([
			{ ...LETTA_CREDENTIAL, name: credentialName, data: credentialData },
		]);
		state.credentialHash = credentialHash;
		writeState(state);
	}

	const examples = readExamples();
	const existing = fs.existsSync(path.join(demoDir, '.n8n', 'database.sqlite'))
		? await n8n.existingWorkflowIds(examples.map((workflow) => workflow.id ?? ''))
		: new Set<string>();
	const missing = examples.filter((workflow) => !existing.has(workflow.id ?? ''));
	if (missing.length > 0) {
		step(`Importing ${missing.length} example workflow(s) from examples/...`);
		await n8n.importWorkflows(missing);
		for (const workflow of missing.filter((w) => w.active === true)) {
			await n8n.publishWorkflow(workflow.id ?? '');
		}
	}
	if (existing.size > 0) {
		step(
			`${existing.size} example(s) already in n8n were left as they are (--fresh re-imports them).`,
		);
	}
	step(`Recording ${installed.name} as installed, as n8n does (Settings > Community nodes)...`);
	await n8n.recordCommunityPackage(installed.directory);

	step(`Starting n8n on http://127.0.0.1:${n8n.options.port} ...`);
	await n8n.start();
	const owner = await n8n.ensureOwner(DEMO_OWNER).catch((error: Error) => {
		step(
			`Could not log in as ${DEMO_OWNER.email} (${error.message.split('\n')[0]}): use your own login.`,
		);
		return 'unknown' as const;
	});

	const warnings: string[] = [];
	if (owner !== 'unknown') {
		warnings.push(
			...(await loadedTypeProblems(n8n, installed.name, expectedTypes(installed.packageJson))),
		);
		warnings.push(
			...communityListingProblems(await n8n.communityPackages(), installed.packageJson),
		);
		const test = await n8n.testCredential({
			...LETTA_CREDENTIAL,
			name: credentialName,
			data: credentialData,
		});
		if (test.status !== 'OK') warnings.push(`the Letta credential test failed: ${test.message}`);
	}

	const url = `http://127.0.0.1:${n8n.options.port}`;
	console.log('');
	console.log('n8n-nodes-letta demo is running');
	console.log(`  n8n        ${url}`);
	console.log(
		`  login      ${DEMO_OWNER.email} / ${DEMO_OWNER.password}${owner === 'created' ? ' (just created)' : ''}`,
	);
	console.log(`  Letta      ${lettaDescription}`);
	if (!realBaseUrl && !realApiKey) {
		console.log(
			`  agents     e.g. ${AGENT_IDS.customerSupport} (Customer Support), ${AGENT_IDS.fileJanitor} (asks for approval)`,
		);
	}
	console.log(`  workflows  ${examples.map((w) => w.name).join('; ') || 'none in examples/'}`);
	console.log(
		`  logs       .n8n-demo/n8n.log${realBaseUrl || realApiKey ? '' : ', .n8n-demo/simulator.log'}`,
	);
	for (const warning of warnings) console.log(`  WARNING    ${warning}`);
	console.log('Ctrl-C stops n8n and the simulator.');

	const code = await n8n.serverExited();
	if (isShuttingDown()) return;
	throw new Error(`n8n stopped by itself (exit ${String(code)}); see .n8n-demo/n8n.log`);
}

main()
	.then(async () => {
		await stopAll();
	})
	.catch(async (error: unknown) => {
		if (isShuttingDown()) return;
		console.error(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`);
		await stopAll();
		process.exit(1);
	});
