/* eslint-disable no-console -- test tooling runs in plain Node, outside n8n */
/**
 * Server-mode cases where Letta calls n8n back (`callback` block, expectations.ts): Send Agent
 * Message's Wait for Callback (the execution waits in n8n and resumes on the callbacks) and the
 * Letta Run Trigger (a callback starts an execution). The callback URL is read from the
 * request the node made to the simulator, as Letta would get it.
 */
import {
	FINAL_EXECUTION_STATUSES,
	readUntil,
	sleep,
	type ExecutionDetails,
	type N8n,
} from '../n8n';
import type { SimulatorControl } from '../simulator/control';
import { checkRun, match, type CallbackCase, type RequestExpectation } from './expectations';

export interface CallbackCaseContext {
	n8n: N8n;
	control: SimulatorControl;
	requestProblems: (expectations: RequestExpectation[]) => Promise<string[]>;
	saveRun: (caseName: string, run: unknown) => void;
	waitForWaiting: (
		workflowId: string,
		timeoutMs: number,
		ready: (execution: ExecutionDetails) => boolean,
		what: string,
	) => Promise<ExecutionDetails>;
	describeExecution: (execution: ExecutionDetails) => string;
}

async function startWorkflow(context: CallbackCaseContext, spec: CallbackCase): Promise<string[]> {
	const until = Date.now() + 60_000;
	for (;;) {
		const response = await context.n8n.callWebhook(spec.start.path, spec.start.body ?? {});
		if (response.status === 200) return [];
		if (response.status !== 404 || Date.now() > until) {
			return [`POST /webhook/${spec.start.path} answered ${response.status}: ${response.text}`];
		}
		await sleep(250);
	}
}

/** The callback URLs the node gave Letta, in the order it started the runs. */
async function callbackUrls(control: SimulatorControl): Promise<string[]> {
	const started = await control.requests({ method: 'POST', pathContains: '/messages/async' });
	return started
		.map((request) => (request.body as { callback_url?: unknown } | null)?.callback_url)
		.filter((url): url is string => typeof url === 'string');
}

const hidden = (url: string) => url.replace(/signature=[^&]+/, 'signature=…');

async function postForged(
	context: CallbackCaseContext,
	url: string,
	forged: NonNullable<CallbackCase['forged']>,
): Promise<{ problems: string[]; answers: unknown[] }> {
	const problems: string[] = [];
	const answers: unknown[] = [];
	for (const call of forged) {
		const body = call.seedRun
			? { ...call.body, run_id: (await context.control.seedRun(call.seedRun)).id }
			: call.body;
		const response = await context.n8n.callUrl(url, 'POST', body);
		answers.push({ status: response.status, body: response.body });
		console.log(
			`        (forged callback to ${hidden(url)} -> ${response.status} ${response.text})`,
		);
		if (response.status !== call.expect.status) {
			problems.push(
				`a forged callback answered ${response.status}, expected ${call.expect.status}: ${response.text.slice(0, 300)}`,
			);
		}
		if (call.expect.body !== undefined)
			problems.push(...match(response.body, call.expect.body, 'forged callback answer'));
	}
	return { problems, answers };
}

async function runWaitingCase(
	context: CallbackCaseContext,
	caseName: string,
	workflowId: string,
	spec: CallbackCase,
): Promise<string[]> {
	const timeoutMs = (spec.timeoutSeconds ?? 90) * 1000;
	const node = spec.waitsIn ?? '';
	const waiting = await context.waitForWaiting(
		workflowId,
		timeoutMs,
		(execution) => (execution.run.data.resultData.runData[node]?.length ?? 0) > 0,
		`execution waiting in "${node}"`,
	);
	console.log(`        (execution ${waiting.id} is ${waiting.status} in "${node}")`);
	const problems: string[] = [];
	const forgedAnswers: unknown[] = [];
	if (spec.forged) {
		const [url] = await callbackUrls(context.control);
		if (!url) return ['the node sent no callback_url to Letta'];
		const forged = await postForged(context, url, spec.forged);
		problems.push(...forged.problems);
		forgedAnswers.push(...forged.answers);
		const after = await context.n8n.execution(waiting.id);
		console.log(`        (after the forged callbacks: execution ${after.id} is ${after.status})`);
		if (after.status !== 'waiting')
			problems.push(`a forged callback changed the execution: ${context.describeExecution(after)}`);
	}
	const execution = await readUntil(
		timeoutMs,
		async () => await context.n8n.execution(waiting.id),
		(current) => FINAL_EXECUTION_STATUSES.includes(current.status),
	);
	console.log(`        (execution ${execution.id} ended: ${execution.status})`);
	context.saveRun(caseName, {
		...execution.run,
		id: execution.id,
		forged: forgedAnswers,
		callbacks: await context.control.callbackAttempts(),
	});
	if (!FINAL_EXECUTION_STATUSES.includes(execution.status))
		return [...problems, `not finished: ${context.describeExecution(execution)}`];
	if (execution.status !== spec.expect.status)
		problems.push(`expected ${spec.expect.status}: ${context.describeExecution(execution)}`);
	problems.push(...checkRun(execution.run, spec.expect));
	problems.push(...(await context.requestProblems(spec.expect.requests ?? [])));
	return problems;
}

async function runTriggeredCase(
	context: CallbackCaseContext,
	caseName: string,
	workflowId: string,
	spec: CallbackCase,
	triggered: NonNullable<CallbackCase['triggered']>,
): Promise<string[]> {
	const timeoutMs = (spec.timeoutSeconds ?? 90) * 1000;
	const problems: string[] = [];
	const starter = await readUntil(
		timeoutMs,
		async () => await context.n8n.executions(workflowId),
		(list) => list.some((entry) => FINAL_EXECUTION_STATUSES.includes(entry.status ?? '')),
	);
	const first = starter[0];
	if (first) {
		const execution = await context.n8n.execution(first.id);
		console.log(`        (starting execution ${execution.id}: ${execution.status})`);
		problems.push(...checkRun(execution.run, spec.expect));
	}
	const attempts = await readUntil(
		timeoutMs,
		async () => await context.control.callbackAttempts(),
		(list) => list.length >= triggered.callbacks,
	);
	const fired = await readUntil(
		timeoutMs,
		async () => await context.n8n.executions(triggered.workflowId),
		(list) =>
			list.length > 0 && list.every((e) => FINAL_EXECUTION_STATUSES.includes(e.status ?? '')),
	);
	console.log(
		`        (Letta's callbacks: ${attempts.map((a) => `${a.runId} -> ${String(a.statusCode ?? a.error)}`).join(', ')})`,
	);
	const answers: unknown[] = [];
	if (triggered.replay) {
		for (const attempt of attempts) {
			const response = await context.n8n.callUrl(attempt.url, 'POST', attempt.payload);
			answers.push({ replay: attempt.runId, status: response.status, body: response.body });
			console.log(
				`        (replayed callback of ${attempt.runId} -> ${response.status} ${response.text})`,
			);
			if (response.status !== triggered.replay.expect.status)
				problems.push(`the replayed callback answered ${response.status}: ${response.text}`);
			if (triggered.replay.expect.body !== undefined)
				problems.push(...match(response.body, triggered.replay.expect.body, 'replay answer'));
		}
	}
	if (spec.forged) {
		const [url] = await callbackUrls(context.control);
		if (!url) return [...problems, 'the node sent no callback_url to Letta'];
		const forged = await postForged(context, url, spec.forged);
		problems.push(...forged.problems);
		answers.push(...forged.answers);
	}
	await sleep(2000);
	const executions = await context.n8n.executions(triggered.workflowId);
	console.log(
		`        (trigger workflow executions: ${executions.map((e) => `${e.id} ${e.status ?? ''}`).join(', ') || 'none'}; before the replays: ${fired.length})`,
	);
	if (executions.length !== triggered.count)
		problems.push(
			`expected ${triggered.count} execution(s) of the trigger's workflow, got ${executions.length}`,
		);
	const oldest = executions[executions.length - 1];
	if (oldest) {
		const execution = await context.n8n.execution(oldest.id);
		context.saveRun(caseName, { ...execution.run, id: execution.id, answers, callbacks: attempts });
		if (execution.status !== triggered.expect.status)
			problems.push(`expected ${triggered.expect.status}: ${context.describeExecution(execution)}`);
		problems.push(...checkRun(execution.run, triggered.expect));
	}
	problems.push(...(await context.requestProblems(triggered.expect.requests ?? [])));
	return problems;
}

/** Runs one `callback` case (its simulator set up by the caller). */
export async function runCallbackCase(
	context: CallbackCaseContext,
	caseName: string,
	workflowId: string,
	spec: CallbackCase,
): Promise<string[]> {
	const started = await startWorkflow(context, spec);
	if (started.length > 0) return started;
	return spec.triggered
		? await runTriggeredCase(context, caseName, workflowId, spec, spec.triggered)
		: await runWaitingCase(context, caseName, workflowId, spec);
}
