/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * The e2e suite: this package inside a real n8n (the pinned one of test/e2e/n8n), installed
 * from its `npm pack` tarball the way n8n installs community packages, against the Letta
 * simulator behind the Prism spec validator.
 *
 *   tsx test/e2e/run.ts [--filter TEXT] [--keep] [--no-self-check]
 *
 * Cases are data: test/e2e/workflows/*.json (a workflow with an `e2e` block, see
 * expectations.ts) and test/e2e/examples.json (expectations for workflows of examples/).
 * A case runs by `n8n execute` (expect), or in server mode: a call to its webhook (webhook),
 * or a person following a URL while its execution waits (humanStep).
 * Closes with the line `N passed, M failed` and exits non-zero on any failure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { INodeTypeDescription } from 'n8n-workflow';
import { request } from 'undici';

import {
	buildAndPack,
	cacheDir,
	communityListingProblems,
	DEMO_OWNER,
	describeExecution,
	ensureN8n,
	expectedTypes,
	FINAL_EXECUTION_STATUSES,
	freePort,
	indexDescriptions,
	installAsReadmeSays,
	installTarballAsN8nDoes,
	LETTA_CREDENTIAL,
	LETTA_DROP_ONCE_CREDENTIAL,
	LETTA_IDLE_CUT_CREDENTIAL,
	LETTA_WRONG_BASE_URL_CREDENTIAL,
	LETTA_WRONG_KEY_CREDENTIAL,
	loadedTypeProblems,
	missingDeclaredFiles,
	N8n,
	n8nInstallDir,
	newEncryptionKey,
	publishOutsideCiProblems,
	readPackageJson,
	registrationProblems,
	repoRoot,
	runChecked,
	startSimulatorProcess,
	stopAll,
	unavailableImports,
	workflowParameterProblems,
	WRONG_API_KEY,
	WRONG_BASE_URL_PATH,
	type ExecutionDetails,
	type InstalledPackage,
	type N8nRun,
	type PackageJson,
	type RunningSimulatorProcess,
	type WorkflowJson,
	runCheck,
	seconds,
} from '../n8n';
import { startDropOnceProxy, startIdleCutProxy } from '../harness/proxies';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';
import {
	checkRun,
	match,
	type CaseExpectation,
	type CaseSpec,
	type HumanAction,
	type HumanStep,
	type RequestExpectation,
	type WebhookCall,
} from './expectations';
import {
	modelRequestProblems,
	openAiStubCredential,
	startModelStub,
	type RunningModelStub,
} from './model/openAiStub';
import { checkHostedChat } from './browser/hostedChatPage';
import { runCallbackCase } from './callbackCases';
import { runSlackCases } from './slack/cases';
import { SLACK_CREDENTIAL, startSlackStandIn } from './slack/standIn';
import { runStreamingWebhookCase } from './streamingCases';

const { values: flags } = parseArgs({
	options: {
		/** only the workflow runs whose name contains this text (every other check still runs) */
		filter: { type: 'string' },
		keep: { type: 'boolean', default: false },
		'no-self-check': { type: 'boolean', default: false },
	},
	strict: true,
});

const e2eDir = __dirname;
const workDir = path.join(cacheDir, 'e2e');
const runDir = path.join(workDir, 'run');
/**
 * n8n user folders (where the package is installed as n8n installs it) live outside the
 * repository: inside it, Node's module lookup climbs into this repository's node_modules and
 * finds devDependencies that a user's n8n does not have, so a devDependency import would load.
 * The self-check's broken packages go there too: unpacked under the repository, their .d.ts files
 * would be linted by the next `npm test`.
 */
const userFoldersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-letta-e2e-'));
const suiteStarted = Date.now();
/** The idle-cut proxy's cut-off: the long-run cases run Long Worker for 3x as long. */
const IDLE_CUT_MS = 2000;

interface Outcome {
	name: string;
	problems: string[];
	ms: number;
	skipped?: string;
}

const outcomes: Outcome[] = [];
const timings: Array<[string, number]> = [];

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings.push([name, Date.now() - started]);
	}
}

/** True when --filter leaves this workflow run out. */
function filteredOut(name: string): boolean {
	return flags.filter !== undefined && !name.toLowerCase().includes(flags.filter.toLowerCase());
}

/** Runs one check (`runCheck`); true when it passed. */
async function check(name: string, work: () => Promise<string[]>): Promise<boolean> {
	const outcome = await runCheck(name, work);
	outcomes.push(outcome);
	return outcome.problems.length === 0;
}

function skip(name: string, reason: string): void {
	outcomes.push({ name, problems: [], ms: 0, skipped: reason });
	console.log(`  skip  ${name}: ${reason}`);
}

interface Case {
	name: string;
	workflow: WorkflowJson;
	spec?: CaseSpec;
	source: 'example' | 'test';
}

function readJson<T>(file: string): T {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
	} catch (error) {
		throw new Error(
			`${path.relative(repoRoot, file)}: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}

function jsonFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => path.join(dir, file));
}

/** Example workflows (with the optional expectations of examples.json) and test workflows. */
function loadCases(): Case[] {
	const cases: Case[] = [];
	const exampleSpecsFile = path.join(e2eDir, 'examples.json');
	const exampleSpecs = fs.existsSync(exampleSpecsFile)
		? readJson<Record<string, CaseSpec>>(exampleSpecsFile)
		: {};
	const exampleFiles = jsonFiles(path.join(repoRoot, 'examples'));
	for (const name of Object.keys(exampleSpecs)) {
		if (!exampleFiles.some((file) => path.basename(file) === name)) {
			throw new Error(
				`test/e2e/examples.json has expectations for examples/${name}, which does not exist`,
			);
		}
	}
	for (const file of exampleFiles) {
		cases.push({
			name: `examples/${path.basename(file)}`,
			workflow: readJson<WorkflowJson>(file),
			spec: exampleSpecs[path.basename(file)],
			source: 'example',
		});
	}
	for (const file of jsonFiles(path.join(e2eDir, 'workflows'))) {
		const { e2e, ...workflow } = readJson<WorkflowJson & { e2e?: CaseSpec }>(file);
		if (!e2e) throw new Error(`test/e2e/workflows/${path.basename(file)} has no "e2e" block`);
		cases.push({ name: `workflows/${path.basename(file)}`, workflow, spec: e2e, source: 'test' });
	}
	const ids = new Map<string, string>();
	for (const entry of cases) {
		const id = entry.workflow.id;
		if (!id) throw new Error(`${entry.name} has no "id": n8n import needs one to run it by id`);
		const other = ids.get(id);
		if (other) throw new Error(`${entry.name} and ${other} have the same id "${id}"`);
		ids.set(id, entry.name);
	}
	return cases;
}

function humanStepCaseName(entry: Case): string {
	return `human step ${entry.name}: ${entry.spec?.description ?? ''}`;
}

function callbackCaseName(entry: Case): string {
	return `callback ${entry.name}: ${entry.spec?.description ?? ''}`;
}

function webhookCaseName(entry: Case): string {
	return `webhook ${entry.name}: ${entry.spec?.description ?? ''}`;
}

function hasManualTrigger(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger');
}

async function simulatorCall(
	sim: RunningSimulatorProcess,
	call: NonNullable<CaseSpec['setup']>[number],
) {
	const response = await request(`${sim.simulatorUrl}${call.path}`, {
		method: call.method,
		headers: call.body === undefined ? {} : { 'content-type': 'application/json' },
		body: call.body === undefined ? undefined : JSON.stringify(call.body),
	});
	const text = await response.body.text();
	if (response.statusCode >= 300) {
		throw new Error(`setup ${call.method} ${call.path} answered ${response.statusCode}: ${text}`);
	}
}

async function requestProblems(
	control: SimulatorControl,
	expectations: RequestExpectation[],
): Promise<string[]> {
	const problems: string[] = [];
	for (const expected of expectations) {
		const received = (
			await control.requests({ method: expected.method, pathContains: expected.pathContains })
		).filter((r) => expected.status === undefined || r.status === expected.status);
		if (received.length !== expected.count) {
			problems.push(
				`expected ${expected.count} ${expected.method ?? ''} request(s) to ${expected.pathContains ?? 'the simulator'}${expected.status === undefined ? '' : ` answered ${expected.status}`}, got ${received.length}: ${received
					.map((r) => `${r.method} ${r.path} -> ${String(r.status)}`)
					.join(', ')}`,
			);
		}
		(expected.bodies ?? []).forEach((body, index) => {
			const where = `${expected.method ?? ''} ${expected.pathContains ?? ''} request ${index} body`;
			if (index >= received.length) problems.push(`${where}: no such request`);
			else problems.push(...match(received[index].body, body, where.trim()));
		});
	}
	return problems;
}

async function prepareSimulator(
	sim: RunningSimulatorProcess,
	control: SimulatorControl,
	spec: CaseSpec,
): Promise<void> {
	await control.reset();
	for (const call of spec.setup ?? []) await simulatorCall(sim, call);
	await control.clearRequests();
}

/** The nodes a run started at: those that ran with no input from another node. */
function startedNodes(run: N8nRun): string[] {
	return Object.entries(run.data.resultData.runData)
		.filter(([, tasks]) => {
			const source = tasks[0]?.source;
			return !Array.isArray(source) || source.every((entry) => entry === null);
		})
		.map(([name]) => name);
}

/** Keeps the run data of a case in .cache/e2e/run/runs/ for a look after the suite. */
function saveRun(caseName: string, run: unknown): void {
	const dir = path.join(runDir, 'runs');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, `${caseName.replace(/[^a-z0-9.-]+/gi, '_')}.json`),
		JSON.stringify(run, null, 2),
	);
}

async function runCase(
	n8n: N8n,
	entry: Case,
	control: SimulatorControl,
	expectation: CaseExpectation,
	model: RunningModelStub,
): Promise<string[]> {
	model.reset();
	const result = await n8n.execute(entry.workflow.id ?? '');
	if (!result.run) {
		const tail = result.log
			.slice(-15)
			.map((line) => line.message.slice(0, 500))
			.join('\n');
		return [
			`n8n execute printed no run (exit ${String(result.exitCode)}):\n${tail}\n${result.stderr.slice(-1500)}`,
		];
	}
	saveRun(entry.name, result.run);
	const problems = checkRun(result.run, expectation);
	const expectedStart =
		expectation.startNode ??
		entry.workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger')?.name;
	const started = startedNodes(result.run);
	if (expectedStart !== undefined && !started.includes(String(expectedStart))) {
		problems.push(
			`n8n execute started at ${started.map((name) => `"${name}"`).join(', ') || 'no node'}, not at "${String(expectedStart)}"` +
				' (n8n 2.41 starts at the first trigger of the nodes array: list the Manual Trigger first)',
		);
	}
	problems.push(...(await requestProblems(control, expectation.requests ?? [])));
	if (model.requests().length) saveRun(`${entry.name}.model`, model.requests());
	problems.push(...modelRequestProblems(model, expectation.model));
	return problems;
}

async function runWebhookCase(
	n8n: N8n,
	control: SimulatorControl,
	call: WebhookCall,
): Promise<string[]> {
	// n8n 2.x activates published workflows in the background after it starts listening
	// (its publication service): until then their webhooks answer 404 "not registered"
	const waitUntil = Date.now() + 60_000;
	let started = Date.now();
	let response = await n8n.callWebhook(call.path, call.body, call.method ?? 'POST');
	while (
		response.status === 404 &&
		response.text.includes('not registered') &&
		Date.now() < waitUntil
	) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		started = Date.now();
		response = await n8n.callWebhook(call.path, call.body, call.method ?? 'POST');
	}
	const problems: string[] = [];
	if (response.status !== call.expect.status) {
		problems.push(
			`expected HTTP ${call.expect.status} from /webhook/${call.path}, got ${response.status}: ${response.text.slice(0, 500)}`,
		);
	}
	if (call.expect.body !== undefined)
		problems.push(...match(response.body, call.expect.body, 'response'));
	for (const secret of call.expect.nowhere ?? []) {
		if (response.text.includes(secret))
			problems.push(`the answer contains ${JSON.stringify(secret)}`);
	}
	problems.push(...(await requestProblems(control, call.expect.requests ?? [])));
	if (problems.length === 0)
		console.log(`        (webhook answered in ${Date.now() - started} ms)`);
	return problems;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** `a.b.0.c` of a value. */
function valueAt(value: unknown, dotted: string): unknown {
	let current = value;
	for (const key of dotted.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

function withQuery(url: string, query: Record<string, string> = {}): string {
	const parsed = new URL(url);
	for (const [key, value] of Object.entries(query)) parsed.searchParams.set(key, value);
	return parsed.toString();
}

function runsOf(execution: ExecutionDetails, node: string): number {
	return execution.run.data.resultData.runData[node]?.length ?? 0;
}

/**
 * Waits until an execution of the workflow waits with `ready` true, or throws with what n8n
 * shows when it does not. With no `executionId`, the oldest waiting execution is taken.
 */
async function waitForWaiting(
	n8n: N8n,
	workflowId: string,
	executionId: string | undefined,
	timeoutMs: number,
	ready: (execution: ExecutionDetails) => boolean,
	what: string,
): Promise<ExecutionDetails> {
	const deadline = Date.now() + timeoutMs;
	let last = 'no execution of the workflow yet';
	while (Date.now() < deadline) {
		const candidates = executionId
			? [{ id: executionId }]
			: (await n8n.executions(workflowId)).reverse();
		for (const candidate of candidates) {
			const execution = await n8n.execution(candidate.id);
			last = describeExecution(execution);
			if (executionId && FINAL_EXECUTION_STATUSES.includes(execution.status)) {
				throw new Error(`waiting for ${what}, but ${last}`);
			}
			if (execution.status === 'waiting' && ready(execution)) return execution;
		}
		await sleep(500);
	}
	const activation = n8n
		.logLines()
		.filter((line) => /activat|poll/i.test(line.message) && line.level !== 'debug')
		.slice(-5)
		.map((line) => `\n  n8n: ${line.message.slice(0, 300)}`)
		.join('');
	throw new Error(`no ${what} after ${timeoutMs / 1000} s: ${last}${activation}`);
}

interface FollowedUrl {
	node: string;
	url: string;
	status: number;
	response: unknown;
}

async function followUrl(
	n8n: N8n,
	execution: ExecutionDetails,
	action: HumanAction,
): Promise<{ followed: FollowedUrl; problems: string[] }> {
	const tasks = execution.run.data.resultData.runData[action.node] ?? [];
	const items = tasks[tasks.length - 1]?.data?.main?.[action.output ?? 0] ?? [];
	const item = items[action.item ?? 0];
	const url = valueAt(item?.json, action.field);
	if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
		throw new Error(
			`${action.node} output ${action.output ?? 0} item ${action.item ?? 0}: "${action.field}" is not a URL: ${JSON.stringify(url)}`,
		);
	}
	const target = withQuery(url, action.query);
	const response = await n8n.callUrl(target, action.method ?? 'GET', action.body);
	const problems: string[] = [];
	if (action.expect) {
		if (response.status !== action.expect.status) {
			problems.push(
				`${action.method ?? 'GET'} ${target} answered ${response.status}, expected ${action.expect.status}: ${response.text.slice(0, 300)}`,
			);
		}
		if (action.expect.body !== undefined)
			problems.push(...match(response.body, action.expect.body, 'the answer to the person'));
	}
	return {
		followed: { node: action.node, url: target, status: response.status, response: response.body },
		problems,
	};
}

async function runHumanStep(
	n8n: N8n,
	control: SimulatorControl,
	entry: Case,
	step: HumanStep,
): Promise<string[]> {
	const workflowId = entry.workflow.id ?? '';
	const timeoutMs = (step.timeoutSeconds ?? 90) * 1000;
	const followed: FollowedUrl[] = [];
	const problems: string[] = [];
	let executionId: string | undefined;
	try {
		const consumed = new Map<string, number>();
		for (const [index, action] of step.actions.entries()) {
			const before = consumed.get(action.node) ?? 0;
			const waiting = await waitForWaiting(
				n8n,
				workflowId,
				executionId,
				timeoutMs,
				(execution) => runsOf(execution, action.node) > before,
				`waiting execution with a new run of "${action.node}" (action ${index + 1})`,
			);
			executionId = waiting.id;
			consumed.set(action.node, runsOf(waiting, action.node));
			const result = await followUrl(n8n, waiting, action);
			followed.push(result.followed);
			console.log(
				`        (execution ${waiting.id}: ${action.method ?? 'GET'} ${result.followed.url.replace(/signature=[^&]+/, 'signature=…')} -> ${result.followed.status})`,
			);
			problems.push(...result.problems);
		}
		if (!executionId) return ['the human step lists no action'];
		const deadline = Date.now() + timeoutMs;
		let execution = await n8n.execution(executionId);
		while (!FINAL_EXECUTION_STATUSES.includes(execution.status) && Date.now() < deadline) {
			await sleep(500);
			execution = await n8n.execution(executionId);
		}
		const posted = await control.requests({ method: 'POST' });
		saveRun(entry.name, {
			...execution.run,
			id: execution.id,
			humanStep: followed,
			simulatorPosts: posted.map(({ path: requestPath, status, body }) => ({
				path: requestPath,
				status,
				body,
			})),
		});
		if (!FINAL_EXECUTION_STATUSES.includes(execution.status)) {
			return [
				...problems,
				`not finished after ${timeoutMs / 1000} s: ${describeExecution(execution)}`,
			];
		}
		if (execution.status !== step.expect.status) {
			problems.push(
				`expected the execution to end in ${step.expect.status}: ${describeExecution(execution)}`,
			);
		}
		problems.push(...checkRun(execution.run, step.expect));
		problems.push(...(await requestProblems(control, step.expect.requests ?? [])));
		return problems;
	} finally {
		await n8n.deactivateWorkflow(workflowId);
	}
}

/**
 * The parameter check must be able to fail: broken copies of a Send Agent Message node of the
 * cases (a misspelt parameter, one its display options hide, a missing required one, a value
 * outside the options) must each be caught.
 */
function parameterSelfCheck(
	cases: Case[],
	packageName: string,
	descriptions: Map<string, INodeTypeDescription[]>,
): string[] {
	const type = `${packageName}.lettaSendAgentMessage`;
	const original = cases
		.flatMap((entry) => entry.workflow.nodes)
		.find(
			(node) =>
				node.type === type &&
				typeof (node.parameters as Record<string, unknown> | undefined)?.text === 'string',
		);
	if (!original) return [`no ${type} node with a "text" parameter among the cases to break`];
	const parameters = original.parameters as Record<string, unknown>;
	const { text, ...withoutText } = parameters;
	const broken: Array<[string, Record<string, unknown>, RegExp]> = [
		['a misspelt parameter', { ...withoutText, txet: text }, /parameter "txet" is not a parameter/],
		[
			'a parameter its display options hide',
			{ ...parameters, reason: 'hidden' },
			/parameter "reason"/,
		],
		['a missing required parameter', { ...parameters, text: '' }, /^node "[^"]+": text: /],
		[
			'a value outside the options',
			{ ...parameters, messageInput: 'txt' },
			/messageInput: "txt" is not one of/,
		],
		['an unknown node version', parameters, /has no version 99/],
	];
	const problems: string[] = [];
	for (const [kind, brokenParameters, expected] of broken) {
		const node = {
			...original,
			parameters: brokenParameters,
			...(kind === 'an unknown node version' ? { typeVersion: 99 } : {}),
		};
		const found = workflowParameterProblems(
			{ name: 'self-check', nodes: [node], connections: {} },
			descriptions,
		);
		if (!found.some((problem) => expected.test(problem))) {
			problems.push(
				`${kind} was not caught (expected ${String(expected)}); found: ${found.join('; ') || 'nothing'}`,
			);
		}
	}
	return problems;
}

/** Broken copies of the real tarball: the suite must notice each of them. */
async function makeBrokenVariants(
	tarball: string,
	into: string,
): Promise<Array<{ kind: string; tarball: string; packageJson: PackageJson }>> {
	const original = readPackageJson(repoRoot);
	const firstNode = original.n8n?.nodes?.[0];
	if (!firstNode) return [];
	const devOnly = Object.keys(original.devDependencies ?? {}).find(
		(name) =>
			!fs.existsSync(path.join(n8nInstallDir, 'node_modules', name)) &&
			fs.existsSync(path.join(repoRoot, 'node_modules', name)),
	);
	const kinds: Array<{ kind: string; mutate: (dir: string, pkg: PackageJson) => void }> = [
		{
			kind: 'missing-dist-file',
			mutate: (dir) => fs.rmSync(path.join(dir, firstNode)),
		},
		{
			kind: 'bad-n8n-section',
			mutate: (_dir, pkg) => {
				// a path that exists in the source tree but not in the package
				pkg.n8n = {
					...pkg.n8n,
					nodes: (pkg.n8n?.nodes ?? []).map((file) => file.replace(/^dist\//, '')),
				};
			},
		},
	];
	if (devOnly) {
		kinds.push({
			kind: 'devdependency-import',
			mutate: (dir) => {
				const file = path.join(dir, firstNode);
				fs.writeFileSync(
					file,
					`require(${JSON.stringify(devOnly)});\n${fs.readFileSync(file, 'utf8')}`,
				);
			},
		});
	}
	const variants: Array<{ kind: string; tarball: string; packageJson: PackageJson }> = [];
	for (const { kind, mutate } of kinds) {
		const dir = path.join(into, kind);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		await runChecked('tar (unpack)', 'tar', ['-xzf', tarball, '-C', dir]);
		const packageDir = path.join(dir, 'package');
		const packageJson = readPackageJson(packageDir);
		packageJson.name = `${original.name}-selfcheck-${kind}`;
		mutate(packageDir, packageJson);
		fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify(packageJson, null, 2));
		const variantTarball = path.join(into, `${kind}.tgz`);
		await runChecked('tar (pack)', 'tar', ['-czf', variantTarball, '-C', dir, 'package']);
		// expectations come from the intact n8n section, under the variant's name
		variants.push({
			kind,
			tarball: variantTarball,
			packageJson: { ...original, name: packageJson.name },
		});
	}
	return variants;
}

async function newN8n(
	userFolder: string,
	logName: string,
	extraEnv?: Record<string, string>,
): Promise<N8n> {
	fs.rmSync(userFolder, { recursive: true, force: true });
	return new N8n({
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		cliBrokerPort: await freePort(),
		encryptionKey: newEncryptionKey(),
		serverLogFile: path.join(runDir, logName),
		logFormat: 'json',
		extraEnv,
	});
}

async function main(): Promise<void> {
	fs.rmSync(runDir, { recursive: true, force: true });
	fs.mkdirSync(runDir, { recursive: true });
	console.log(
		`e2e: real n8n, package installed from its tarball; work folder ${path.relative(repoRoot, runDir)}`,
	);

	// 1. the pinned n8n (minutes on the first run, milliseconds after)
	await phase(
		'n8n install (ensureN8n)',
		async () => await ensureN8n({ log: (m) => console.log(m) }),
	);

	// 2. the package as users get it
	const sourcePackage = readPackageJson(repoRoot);
	await check('package.json declares every node and credential of the source', async () =>
		registrationProblems(repoRoot, sourcePackage),
	);
	const tarball = await phase(
		'build + npm pack',
		async () => await buildAndPack(path.join(runDir, 'pack')),
	);
	await check(
		'npm publish outside CI is refused: n8n takes community nodes published from CI with provenance',
		async () => await publishOutsideCiProblems(),
	);
	let cases: Case[] = [];
	await check('example and test workflows parse, with unique ids', async () => {
		cases = loadCases();
		return [];
	});

	// 3. simulator behind the validator, fresh n8n with the package installed as n8n does
	const sim = await phase(
		'simulator start',
		async () =>
			await startSimulatorProcess({ validate: true, logFile: path.join(runDir, 'simulator.log') }),
	);
	const control = new SimulatorControl(sim.simulatorUrl);
	// slack.com for this n8n only: a proxy and a throwaway CA (test/e2e/slack/standIn.ts)
	const slack = await phase(
		'Slack stand-in start',
		async () => await startSlackStandIn(path.join(workDir, 'slack-tls')),
	);
	// the AI Agent's OpenAI Chat Model talks to a scripted stub (test/e2e/model/openAiStub.ts)
	const model = await phase('model stub start', async () => await startModelStub());
	// long runs (workflows/long-run-*.json): proxies that cut idle connections / drop one mid-stream
	const idleCut = await startIdleCutProxy({ targetUrl: sim.apiUrl, idleMs: IDLE_CUT_MS });
	const dropOnce = await startDropOnceProxy({ targetUrl: sim.apiUrl, afterEvents: 3 });
	const n8n = await newN8n(path.join(userFoldersDir, 'n8n-user'), 'n8n.log', slack.environment);
	let installed: InstalledPackage | undefined;
	await check('the npm pack tarball installs the way n8n installs community packages', async () => {
		installed = await phase(
			'install tarball',
			async () => await installTarballAsN8nDoes(tarball, n8n.options.userFolder),
		);
		return [
			...missingDeclaredFiles(installed.directory, installed.packageJson),
			...unavailableImports(installed.directory, path.join(n8nInstallDir, 'node_modules')),
		];
	});
	if (!installed) return;
	const packageName = installed.name;
	const installedDirectory = installed.directory;

	await phase('import credentials + workflows', async () => {
		await n8n.importCredentials([
			{
				...LETTA_CREDENTIAL,
				data: { apiKey: SIMULATOR_API_KEY, baseUrl: sim.apiUrl, projectId: '' },
			},
			{
				...LETTA_WRONG_KEY_CREDENTIAL,
				data: { apiKey: WRONG_API_KEY, baseUrl: sim.apiUrl, projectId: '' },
			},
			{
				...LETTA_WRONG_BASE_URL_CREDENTIAL,
				data: {
					apiKey: SIMULATOR_API_KEY,
					baseUrl: `${sim.apiUrl}${WRONG_BASE_URL_PATH}`,
					projectId: '',
				},
			},
			{
				...LETTA_IDLE_CUT_CREDENTIAL,
				data: { apiKey: SIMULATOR_API_KEY, baseUrl: idleCut.url, projectId: '' },
			},
			{
				...LETTA_DROP_ONCE_CREDENTIAL,
				data: { apiKey: SIMULATOR_API_KEY, baseUrl: dropOnce.url, projectId: '' },
			},
			SLACK_CREDENTIAL,
			openAiStubCredential(model.baseUrl),
		]);
		await n8n.importWorkflows(cases.map((entry) => entry.workflow));
	});
	// what n8n writes once it installed a package: Settings > Community nodes lists it
	await phase(
		'record the installed package',
		async () => await n8n.recordCommunityPackage(installedDirectory),
	);

	// 4. workflow runs, one `n8n execute` each
	await phase('workflow runs', async () => {
		for (const entry of cases) {
			const name = `run ${entry.name}${entry.spec ? `: ${entry.spec.description}` : ''}`;
			if (filteredOut(name)) continue;
			if (!entry.spec) {
				if (entry.source === 'example') {
					// Every example is run, or says why it cannot be.
					await check(`run ${entry.name}`, async () => [
						'no entry in test/e2e/examples.json: give it "expect", "webhook", "humanStep" or "importOnly"',
					]);
				}
				continue;
			}
			if (entry.spec.importOnly) {
				console.log(`  note  ${name}: not run, ${entry.spec.importOnly}`);
				continue;
			}
			if (entry.spec.webhook || entry.spec.humanStep || entry.spec.slack || entry.spec.callback)
				continue; // server mode
			const spec = entry.spec;
			const expectation = spec.expect;
			if (!expectation) {
				await check(name, async () => ['the case has neither "expect" nor "webhook"']);
				continue;
			}
			if (!hasManualTrigger(entry.workflow)) {
				await check(name, async () => [
					'`n8n execute` starts at a Manual Trigger: this workflow has none',
				]);
				continue;
			}
			await check(name, async () => {
				await prepareSimulator(sim, control, spec);
				return await runCase(n8n, entry, control, expectation, model);
			});
		}
	});

	// 5. the server: webhooks of published workflows, node loading, the editor's view of the
	//    package, credential tests
	const webhookCases = cases.filter(
		(entry) =>
			entry.spec?.webhook && !entry.spec.importOnly && !filteredOut(webhookCaseName(entry)),
	);
	const humanStepCases = cases.filter(
		(entry) =>
			entry.spec?.humanStep && !entry.spec.importOnly && !filteredOut(humanStepCaseName(entry)),
	);
	const callbackCases = cases.filter(
		(entry) =>
			entry.spec?.callback && !entry.spec.importOnly && !filteredOut(callbackCaseName(entry)),
	);
	await phase('publish server-mode workflows', async () => {
		for (const entry of [...webhookCases, ...humanStepCases, ...callbackCases])
			await n8n.publishWorkflow(entry.workflow.id ?? '');
		for (const entry of callbackCases)
			for (const id of entry.spec?.callback?.alsoPublish ?? []) await n8n.publishWorkflow(id);
		// triggers poll once when n8n activates the workflow at its start: their setups go first
		// (together: the human-step cases share this one simulator state until they are done)
		await control.reset();
		for (const entry of humanStepCases)
			for (const call of entry.spec?.setup ?? []) await simulatorCall(sim, call);
		await control.clearRequests();
	});
	await phase('n8n start', async () => await n8n.start());
	await check('owner account set up through POST /rest/owner/setup', async () => {
		const result = await n8n.ensureOwner(DEMO_OWNER);
		return result === 'created' ? [] : ['an owner existed already in a fresh user folder'];
	});
	const installedPackageJson = installed.packageJson;
	await check(
		`Settings > Community nodes lists ${packageName} with its nodes (GET /rest/community-packages)`,
		async () => communityListingProblems(await n8n.communityPackages(), installedPackageJson),
	);
	await phase('human-step runs', async () => {
		for (const entry of humanStepCases) {
			const step = entry.spec?.humanStep;
			if (!step) continue;
			await check(
				humanStepCaseName(entry),
				async () => await runHumanStep(n8n, control, entry, step),
			);
		}
	});
	await phase('callback runs', async () => {
		for (const entry of callbackCases) {
			const spec = entry.spec;
			const callback = spec?.callback;
			if (!spec || !callback) continue;
			await check(callbackCaseName(entry), async () => {
				await prepareSimulator(sim, control, spec);
				return await runCallbackCase(
					{
						n8n,
						control,
						requestProblems: async (expectations) => await requestProblems(control, expectations),
						saveRun,
						waitForWaiting: async (workflowId, timeoutMs, ready, what) =>
							await waitForWaiting(n8n, workflowId, undefined, timeoutMs, ready, what),
						describeExecution,
					},
					entry.name,
					entry.workflow.id ?? '',
					callback,
				);
			});
		}
	});
	await phase('Slack approval runs', async () => {
		for (const entry of cases) {
			const name = `slack ${entry.name}`;
			if (!entry.spec?.slack || entry.spec.importOnly || filteredOut(name)) continue;
			const context = {
				n8n,
				standIn: slack,
				prepare: async (setup: NonNullable<CaseSpec['setup']>) =>
					await prepareSimulator(sim, control, { description: name, setup }),
				requestProblems: async (expectations: RequestExpectation[]) =>
					await requestProblems(control, expectations),
				lettaPosts: async () =>
					(await control.requests({ method: 'POST' })).map(({ path: at, status, body }) => ({
						path: at,
						status,
						body,
					})),
				check,
				saveRun,
			};
			await runSlackCases(context, name, entry.workflow, entry.spec.slack);
		}
	});
	await phase('webhook runs', async () => {
		for (const entry of webhookCases) {
			const spec = entry.spec;
			const call = spec?.webhook;
			if (!spec || !call) continue;
			const { stream } = call;
			if (!stream) {
				await check(webhookCaseName(entry), async () => {
					await prepareSimulator(sim, control, spec);
					return await runWebhookCase(n8n, control, call);
				});
				continue;
			}
			await check(`${webhookCaseName(entry)} (streamed)`, async () => {
				await prepareSimulator(sim, control, spec);
				return await runStreamingWebhookCase(
					{
						n8n,
						requestProblems: async (expectations) => await requestProblems(control, expectations),
						saveRun,
					},
					entry.name,
					entry.workflow.id ?? '',
					{ ...call, stream },
				);
			});
			const chatPage = stream.hostedChatPage;
			if (!chatPage) continue;
			await check(
				`hosted chat page ${entry.name} in headless Chromium shows the streamed reply`,
				async () => {
					await prepareSimulator(sim, control, spec);
					const shown = await checkHostedChat(
						`${n8n.server.baseUrl}/webhook/${chatPage.path}`,
						chatPage.message,
						chatPage.reply,
					);
					console.log(
						`        (the page showed ${JSON.stringify(shown.shown)} after ${shown.partials.length} distinct texts: ${JSON.stringify(shown.partials)}; screenshot ${shown.screenshot})`,
					);
					return shown.problems;
				},
			);
		}
	});
	const expected = expectedTypes(installed.packageJson);
	await check(
		`n8n loads every node and credential of ${packageName} (${expected.nodes.length + expected.credentials.length} types)`,
		async () => await loadedTypeProblems(n8n, packageName, expected),
	);
	let descriptions = new Map<string, INodeTypeDescription[]>();
	await check(
		`every node of the ${cases.length} example and test workflows resolves in n8n (type, version, every parameter kept, no parameter issue, option values, credential types)`,
		async () => {
			descriptions = indexDescriptions(
				(await n8n.nodeTypes()) as unknown as INodeTypeDescription[],
			);
			return cases.flatMap((entry) =>
				workflowParameterProblems(entry.workflow, descriptions).map(
					(problem) => `${entry.name}: ${problem}`,
				),
			);
		},
	);
	await check('self-check: the parameter check catches broken copies of a node', async () =>
		parameterSelfCheck(cases, packageName, descriptions),
	);
	await check(
		'credential test through n8n (POST /rest/credentials/test): stored credential passes',
		async () => {
			// what the credential dialog does: read it (secrets come back redacted) and test that
			const stored = await n8n.rest<{ data?: { data?: Record<string, unknown> } }>(
				'GET',
				`/rest/credentials/${LETTA_CREDENTIAL.id}?includeData=true`,
			);
			if (stored.status !== 200 || !stored.body.data?.data) {
				return [
					`GET /rest/credentials/${LETTA_CREDENTIAL.id} answered ${stored.status}: ${stored.text.slice(0, 300)}`,
				];
			}
			const problems = match(
				stored.body.data.data.apiKey,
				{ $notContains: SIMULATOR_API_KEY },
				'stored apiKey (redacted)',
			);
			const result = await n8n.testCredential({ ...LETTA_CREDENTIAL, data: stored.body.data.data });
			if (result.status !== 'OK')
				problems.push(`expected OK, got ${result.status}: ${result.message}`);
			return problems;
		},
	);
	await check(
		'credential test through n8n: a wrong API key fails with a clear message',
		async () => {
			const result = await n8n.testCredential({
				...LETTA_CREDENTIAL,
				data: { apiKey: WRONG_API_KEY, baseUrl: sim.apiUrl, projectId: '' },
			});
			return [
				...(result.status === 'Error'
					? []
					: [`expected Error, got ${result.status}: ${result.message}`]),
				...match(result.message, { $regex: '/unauthori[sz]ed|401|api key/i' }, 'message'),
				...match(result.message, { $notContains: WRONG_API_KEY }, 'message'),
			];
		},
	);
	await check(
		'credential test through n8n: a base URL with a path says it looks wrong',
		async () => {
			const result = await n8n.testCredential({
				...LETTA_WRONG_BASE_URL_CREDENTIAL,
				data: {
					apiKey: SIMULATOR_API_KEY,
					baseUrl: `${sim.apiUrl}${WRONG_BASE_URL_PATH}`,
					projectId: '',
				},
			});
			return [
				...(result.status === 'Error'
					? []
					: [`expected Error, got ${result.status}: ${result.message}`]),
				...match(result.message, { $regex: '/^The base URL looks wrong/' }, 'message'),
				...match(result.message, { $notContains: SIMULATOR_API_KEY }, 'message'),
			];
		},
	);
	await check('credential test through n8n: an unreachable base URL fails', async () => {
		const closedPort = await freePort();
		const result = await n8n.testCredential({
			...LETTA_CREDENTIAL,
			data: { apiKey: SIMULATOR_API_KEY, baseUrl: `http://127.0.0.1:${closedPort}`, projectId: '' },
		});
		return result.status === 'Error'
			? []
			: [`expected Error, got ${result.status}: ${result.message}`];
	});
	await phase('n8n stop', async () => await n8n.stop());

	// the install a user does by hand today: the README's own commands, then n8n starts
	await phase('README install by hand', async () => {
		const byHand = await newN8n(path.join(userFoldersDir, 'n8n-user-by-hand'), 'n8n-by-hand.log');
		let installedByHand: InstalledPackage | undefined;
		await check(
			"the README's install commands put the tarball into ~/.n8n/nodes (run from README.md as written)",
			async () => {
				installedByHand = await installAsReadmeSays(tarball, byHand.options.userFolder);
				return [
					...missingDeclaredFiles(installedByHand.directory, installedByHand.packageJson),
					...unavailableImports(
						installedByHand.directory,
						path.join(n8nInstallDir, 'node_modules'),
					),
				];
			},
		);
		if (!installedByHand) return;
		await byHand.start();
		try {
			await byHand.ensureOwner(DEMO_OWNER);
			await check(
				`after the README's install, n8n starts and loads every node and credential of ${packageName}`,
				async () => await loadedTypeProblems(byHand, packageName, expected),
			);
			await check(
				'installed by hand, the package is not listed under Settings > Community nodes (as the README says)',
				async () =>
					(await byHand.communityPackages()).some((entry) => entry.packageName === packageName)
						? [`GET /rest/community-packages lists ${packageName}: the README says it does not`]
						: [],
			);
		} finally {
			await byHand.stop();
		}
	});

	// 6. the suite can fail: broken packages must be caught by the same checks
	if (flags['no-self-check']) {
		skip('self-check: broken packages are caught', '--no-self-check');
	} else {
		await phase('self-check (broken packages)', async () => {
			const variants = await makeBrokenVariants(tarball, path.join(userFoldersDir, 'variants'));
			const broken = await newN8n(path.join(userFoldersDir, 'n8n-user-broken'), 'n8n-broken.log');
			const installedVariants: InstalledPackage[] = [];
			for (const variant of variants)
				installedVariants.push(
					await installTarballAsN8nDoes(variant.tarball, broken.options.userFolder),
				);
			await broken.start();
			try {
				await broken.ensureOwner(DEMO_OWNER);
				for (const [index, variant] of variants.entries()) {
					await check(
						`self-check: a package with a ${variant.kind.replace(/-/g, ' ')} is caught`,
						async () => {
							// the same checks as for the real package
							const problems = [
								...missingDeclaredFiles(installedVariants[index].directory, variant.packageJson),
								...unavailableImports(
									installedVariants[index].directory,
									path.join(n8nInstallDir, 'node_modules'),
								),
								...(await loadedTypeProblems(
									broken,
									variant.packageJson.name,
									expectedTypes(variant.packageJson),
								)),
							];
							return problems.length > 0
								? []
								: [
										`the checks found nothing wrong with ${variant.packageJson.name}: the suite is blind to this`,
									];
						},
					);
				}
			} finally {
				await broken.stop();
			}
		});
	}
	console.log(
		`  note  proxies: idle-cut (${IDLE_CUT_MS} ms) cut ${idleCut.cuts()} of ${idleCut.connections()} connection(s), drop-once dropped ${dropOnce.cuts()} of ${dropOnce.connections()}`,
	);
	await idleCut.close();
	await dropOnce.close();
	await sim.stop();
	await slack.stop();
	await model.stop();
}

function summary(): number {
	const failed = outcomes.filter((o) => o.problems.length > 0);
	const passed = outcomes.filter((o) => o.problems.length === 0 && !o.skipped);
	const skipped = outcomes.filter((o) => o.skipped);
	console.log('');
	console.log('timings:');
	for (const [name, ms] of timings) console.log(`  ${name.padEnd(34)} ${seconds(ms)}`);
	console.log(`  ${'total'.padEnd(34)} ${seconds(Date.now() - suiteStarted)}`);
	if (failed.length) {
		console.log('');
		console.log('failed:');
		for (const outcome of failed) console.log(`  - ${outcome.name}`);
		console.log(`logs: ${path.relative(repoRoot, runDir)}/`);
	}
	console.log('');
	console.log(
		`${passed.length} passed, ${failed.length} failed${skipped.length ? `, ${skipped.length} skipped` : ''}`,
	);
	return failed.length > 0 ? 1 : 0;
}

main()
	.catch((error: unknown) => {
		outcomes.push({
			name: 'e2e suite ran to the end',
			problems: [error instanceof Error ? (error.stack ?? error.message) : String(error)],
			ms: 0,
		});
		console.log(
			`  FAIL  the suite stopped: ${error instanceof Error ? error.message : String(error)}`,
		);
	})
	.finally(async () => {
		await stopAll();
		const code = summary();
		if (code === 0 && !flags.keep) fs.rmSync(userFoldersDir, { recursive: true, force: true });
		else console.log(`n8n user folders: ${userFoldersDir}`);
		process.exit(code);
	});
