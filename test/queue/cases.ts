/* eslint-disable no-console -- test tooling runs in plain Node, outside n8n */
/**
 * The queue-mode cases. Each returns its problems (none: it passed) and adds its figures to
 * the tally that run.ts prints at the end.
 */
import { backoffMs, MAX_RETRIES } from '../../nodes/shared/transport/retry';
import {
	AGENT_IDS,
	describeExecution,
	sleep,
	waitFor,
	type ExecutionDetails,
	type QueueCluster,
} from '../n8n';
import type { SimulatorControl } from '../simulator/control';
import {
	agentOf,
	allOutputItems,
	executionsOf,
	isFinal,
	jobsByExecution,
	lastSequence,
	messageKind,
	otidOf,
	outputItems,
	turnRequests,
} from './support';

export interface Tally {
	/** Turns (message POSTs) Letta accepted, per case. */
	accepted: Record<string, number>;
	/** 409 busy answers that were waited out. */
	busy: number;
	duplicates: number;
	lost: number;
}

export interface CaseContext {
	cluster: QueueCluster;
	control: SimulatorControl;
	tally: Tally;
	/** Keeps an execution's run data for a look after the run. */
	saveRun: (name: string, run: unknown) => void;
}

const timeoutMs = 90_000;

/** The executions of a workflow once at least `minimum` exist and all ended, oldest first. */
export async function finalExecutions(
	context: CaseContext,
	workflowId: string,
	minimum: number,
): Promise<ExecutionDetails[]> {
	return await waitFor(
		`${minimum} finished execution(s) of ${workflowId}`,
		timeoutMs,
		async () => await executionsOf(context.cluster.main, workflowId),
		(list) => list.length >= minimum && list.every(isFinal),
		{ describe: (list) => list.map(describeExecution).join('; ') || 'none' },
	);
}

/**
 * Accepted turns per (agent, otid): each item's message must reach Letta once (lost: an item
 * with no accepted turn; duplicate: a second accepted turn for the same item).
 */
function countTurns(
	accepted: Array<{ agent: string; key: string }>,
	expectedPerAgent: Map<string, number>,
): { duplicates: number; lost: number; problems: string[] } {
	const problems: string[] = [];
	const keys = new Set<string>();
	let duplicates = 0;
	for (const { agent, key } of accepted) {
		const id = `${agent} ${key}`;
		if (keys.has(id)) {
			duplicates++;
			problems.push(`the same item was sent twice to ${agent} (${key})`);
		}
		keys.add(id);
	}
	let lost = 0;
	for (const [agent, expected] of expectedPerAgent) {
		const got = accepted.filter((turn) => turn.agent === agent).length;
		if (got < expected) {
			lost += expected - got;
			problems.push(`${agent}: ${expected} turn(s) expected, Letta accepted ${got}`);
		} else if (got > expected && duplicates === 0) {
			duplicates += got - expected;
			problems.push(`${agent}: ${expected} turn(s) expected, Letta accepted ${got}`);
		}
	}
	return { duplicates, lost, problems };
}

/** How often the scheduled job's copy fires (run.ts). */
export const SCHEDULE_SECONDS = 2;

/**
 * How long the next execution finds a conversation busy: longer than the node's first
 * MAX_RETRIES backoffs add up to, so only waiting out the busy conversation (not a fixed number
 * of retries) gets its messages through.
 */
const BUSY_MS =
	Array.from({ length: MAX_RETRIES }, (_, attempt) => backoffMs(attempt)).reduce(
		(sum, ms) => sum + ms,
		0,
	) + 1_500;

/**
 * Each turn of the scheduled job lasts the schedule's interval plus BUSY_MS: the next scheduled
 * execution starts while the last one still holds the same conversations, and must wait.
 */
const TURN_MS = SCHEDULE_SECONDS * 1000 + BUSY_MS;

/**
 * (1) The scheduled job (examples/scheduled-job.json, its Schedule Trigger every
 * SCHEDULE_SECONDS) with turns longer than that: the next scheduled execution starts while
 * the last one still talks to the same four agents, on the other worker (each worker runs one
 * execution at a time). Every item gets its reply, none is sent twice, and the busy
 * conversations are waited out.
 */
export async function scheduledJobOverlap(
	context: CaseContext,
	workflowId: string,
	prompt: string,
	agents: string[],
): Promise<string[]> {
	const { cluster, control, tally } = context;
	const problems: string[] = [];
	const before = lastSequence(await control.requests());
	await control.setLatency(TURN_MS);
	try {
		await cluster.main.activateWorkflow(workflowId);
		try {
			await waitFor(
				'second scheduled execution',
				30_000,
				async () => await cluster.main.executions(workflowId),
				(list) => list.length >= 2,
			);
		} finally {
			await cluster.main.deactivateWorkflow(workflowId);
		}
		const executions = await finalExecutions(context, workflowId, 2);
		const jobs = jobsByExecution(cluster);
		for (const execution of executions) {
			context.saveRun(`scheduled-job-${execution.id}`, { ...execution.run, id: execution.id });
			console.log(
				`        (execution ${execution.id}: ${execution.status} on ${(jobs.get(execution.id) ?? ['no worker']).join(', ')}, ${execution.startedAt ?? '?'} .. ${execution.stoppedAt ?? '?'})`,
			);
			if (execution.status !== 'success') problems.push(describeExecution(execution));
			const replies = outputItems(execution, 'Ask each agent');
			const repliedAgents = replies.map((item) => String(item.json.agent_id));
			if (JSON.stringify(repliedAgents) !== JSON.stringify(agents))
				problems.push(
					`execution ${execution.id}: Ask each agent put out replies for ${repliedAgents.join(', ')}`,
				);
			for (const item of replies) {
				if (!String(item.json.reply).endsWith(`heard: ${prompt}`))
					problems.push(
						`execution ${execution.id}: ${String(item.json.agent_id)} replied ${JSON.stringify(item.json.reply)}`,
					);
			}
			if ((jobs.get(execution.id) ?? []).length !== 1)
				problems.push(
					`execution ${execution.id} ran on ${(jobs.get(execution.id) ?? []).join(', ') || 'no worker'}`,
				);
		}
		// at once: the second started before the first ended (orders, not durations)
		const [first, second] = executions;
		const together =
			first.stoppedAt &&
			second.startedAt &&
			Date.parse(second.startedAt) < Date.parse(first.stoppedAt);
		if (!together)
			problems.push(
				`executions ${first.id} and ${second.id} did not run at once: the case proved nothing`,
			);
		else if (jobs.get(first.id)?.[0] === jobs.get(second.id)?.[0])
			problems.push(`executions ${first.id} and ${second.id} ran at once on the same worker`);
		const turns = turnRequests(await control.requests(), before).filter((request) =>
			agents.includes(agentOf(request) ?? ''),
		);
		const accepted = turns.filter((request) => request.status === 200);
		const busy = turns.filter((request) => request.status === 409).length;
		const other = turns.filter((request) => request.status !== 200 && request.status !== 409);
		for (const request of other)
			problems.push(`${request.method} ${request.path} answered ${String(request.status)}`);
		if (busy === 0)
			problems.push('no request found its conversation busy: the overlap was not exercised');
		const counted = countTurns(
			accepted.map((request) => ({
				agent: agentOf(request) ?? '',
				key: otidOf(request) ?? `sequence ${request.sequence}`,
			})),
			new Map(agents.map((agent) => [agent, executions.length])),
		);
		problems.push(...counted.problems);
		const overlaps = (await control.overlaps()).filter((overlap) =>
			agents.includes(overlap.agentId),
		);
		for (const overlap of overlaps)
			problems.push(`two turns ran at once on ${overlap.agentId}: ${overlap.runIds.join(', ')}`);
		console.log(
			`        (${executions.length} executions, ${accepted.length} turns accepted, ${busy} answered 409 busy and retried, ${counted.duplicates} duplicates, ${counted.lost} lost)`,
		);
		tally.accepted['scheduled job'] = accepted.length;
		tally.busy += busy;
		tally.duplicates += counted.duplicates;
		tally.lost += counted.lost;
	} finally {
		await control.setLatency(0);
	}
	return problems;
}

/** (4) Wait for Callback: the run starts on a worker, Letta's callback reaches the webhook process, the execution resumes on a worker. */
export async function callbackResumesOnWorker(
	context: CaseContext,
	workflowId: string,
	startPath: string,
): Promise<string[]> {
	const { cluster, control, tally } = context;
	const problems: string[] = [];
	const before = lastSequence(await control.requests());
	await control.updateLongRunSettings({ workMs: 2000 });
	const started = await waitFor(
		`answer from the webhook process to /webhook/${startPath}`,
		30_000,
		async () => await cluster.webhook.callWebhook(startPath, {}),
		(answer) => answer.status !== 404,
		{ describe: (answer) => `${answer.status} ${answer.text.slice(0, 200)}` },
	);
	if (started.status !== 200)
		return [`POST /webhook/${startPath} answered ${started.status}: ${started.text}`];
	const [execution] = await finalExecutions(context, workflowId, 1);
	context.saveRun('callback', { ...execution.run, id: execution.id });
	const jobs = jobsByExecution(cluster).get(execution.id) ?? [];
	console.log(
		`        (execution ${execution.id}: ${execution.status}, jobs on ${jobs.join(' then ') || 'no worker'})`,
	);
	if (execution.status !== 'success') problems.push(describeExecution(execution));
	const [reply] = outputItems(execution, 'Send Agent Message');
	if (reply?.json.reply !== 'Long Worker heard: Crunch the numbers' || !reply.json.run_id)
		problems.push(
			`Send Agent Message put out ${JSON.stringify(reply?.json ?? null).slice(0, 300)}`,
		);
	// started on a worker, resumed (a second job) on a worker
	if (jobs.length !== 2)
		problems.push(`expected 2 worker jobs (start, resume), got ${jobs.join(', ') || 'none'}`);
	const turns = turnRequests(await control.requests(), before);
	const callbackUrls = turns.map(
		(request) => (request.body as { callback_url?: string } | null)?.callback_url ?? '',
	);
	const webhookBase = `${cluster.webhook.server.baseUrl}/webhook-waiting/`;
	if (turns.length !== 1 || !callbackUrls[0].startsWith(webhookBase))
		problems.push(
			`expected one async run whose callback_url is on the webhook process (${webhookBase}), got ${callbackUrls.join(', ') || 'none'}`,
		);
	const attempts = await control.callbackAttempts();
	const delivered = attempts.filter((attempt) => attempt.url.startsWith(webhookBase));
	console.log(
		`        (Letta's callback: ${delivered.map((attempt) => `${String(attempt.statusCode ?? attempt.error)}`).join(', ') || 'none'} from the webhook process)`,
	);
	if (delivered.length !== 1 || delivered[0].statusCode !== 200)
		problems.push(
			`expected one callback answered 200 by the webhook process: ${JSON.stringify(attempts)}`,
		);
	tally.accepted.callback = turns.filter(
		(request) => request.status === 200 || request.status === 202,
	).length;
	return problems;
}

/** The approvals seeded for case (2)/(3): two before n8n starts, one after the first poll. */
export const APPROVAL_AGENTS = {
	first: [AGENT_IDS.fileJanitor, AGENT_IDS.releaseManager],
	later: AGENT_IDS.researchScout,
} as const;

/**
 * (2) and (3), examples/local-approval.json: the Letta Trigger polls on main; its executions
 * run on workers and wait at "Wait for a human"; the person's approve link is on the webhook
 * process (N8N_WEBHOOK_URL), which resumes the execution on a worker. Part one: the first
 * poll's execution is waiting; a third approval appears.
 */
export async function approvalsFirstPoll(
	context: CaseContext,
	workflowId: string,
): Promise<{ problems: string[]; firstExecution?: string }> {
	const waiting = await waitFor(
		'waiting execution of the Letta Trigger workflow',
		timeoutMs,
		async () => await executionsOf(context.cluster.main, workflowId),
		(list) =>
			list.some(
				(execution) =>
					execution.status === 'waiting' && outputItems(execution, 'Approval links').length > 0,
			),
		{ describe: (list) => list.map(describeExecution).join('; ') || 'none' },
	);
	const [first] = waiting;
	console.log(`        (first poll: execution ${first.id} waits for a human)`);
	await context.control.seedPendingApproval({
		agentId: APPROVAL_AGENTS.later,
		text: '/tmp/later.txt',
	});
	return { problems: [], firstExecution: first.id };
}

/** Part two: the next poll emits only the new approval; the person approves all three. */
export async function approvalsAnswered(
	context: CaseContext,
	workflowId: string,
): Promise<string[]> {
	const { cluster, control, tally } = context;
	const problems: string[] = [];
	const webhookBase = `${cluster.webhook.server.baseUrl}/webhook-waiting/`;
	// the trigger polls every minute: the next poll sees the new approval
	await waitFor(
		'execution for the approval seeded after the first poll',
		80_000,
		async () => await cluster.main.executions(workflowId),
		(list) => list.length >= 2,
	);
	const approved = new Set<string>();
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await executionsOf(cluster.main, workflowId);
		if (executions.every(isFinal)) break;
		if (Date.now() > deadline) {
			problems.push(`not finished: ${executions.map(describeExecution).join('; ')}`);
			break;
		}
		for (const execution of executions) {
			const links = outputItems(execution, 'Approval links');
			const runs = execution.run.data.resultData.runData['Approval links']?.length ?? 0;
			const key = `${execution.id}/${runs}`;
			if (execution.status !== 'waiting' || links.length === 0 || approved.has(key)) continue;
			approved.add(key);
			const url = String(links[0].json.approve_url);
			if (!url.startsWith(webhookBase))
				problems.push(`the approve link ${url} is not on the webhook process (${webhookBase})`);
			const answer = await cluster.webhook.callUrl(url);
			console.log(
				`        (execution ${execution.id}: approve link ${runs} on the webhook process -> ${answer.status})`,
			);
			if (answer.status !== 200)
				problems.push(`the approve link answered ${answer.status}: ${answer.text}`);
		}
		await sleep(250);
	}
	const executions = await executionsOf(cluster.main, workflowId);
	const jobs = jobsByExecution(cluster);
	const emitted: string[] = [];
	for (const execution of executions) {
		context.saveRun(`local-approval-${execution.id}`, { ...execution.run, id: execution.id });
		const agents = outputItems(execution, 'Letta Trigger').map((item) =>
			String(item.json.agent_id),
		);
		emitted.push(...agents);
		console.log(
			`        (execution ${execution.id}: ${execution.status}, trigger emitted ${agents.length}, jobs on ${(jobs.get(execution.id) ?? []).join(', ')})`,
		);
		if (execution.status !== 'success') problems.push(describeExecution(execution));
		// one job to start, one per resumption
		const expectedJobs = 1 + agents.length;
		if ((jobs.get(execution.id) ?? []).length !== expectedJobs)
			problems.push(
				`execution ${execution.id}: expected ${expectedJobs} worker jobs, got ${(jobs.get(execution.id) ?? []).join(', ') || 'none'}`,
			);
		for (const item of allOutputItems(execution, 'Answer the agent')) {
			if (!String(item.json.reply).startsWith('Done: '))
				problems.push(
					`execution ${execution.id}: Answer the agent put out ${JSON.stringify(item.json).slice(0, 300)}`,
				);
		}
	}
	const expected: string[] = [...APPROVAL_AGENTS.first, APPROVAL_AGENTS.later];
	for (const agent of expected) {
		const times = emitted.filter((id) => id === agent).length;
		if (times !== 1) problems.push(`the trigger emitted the approval of ${agent} ${times} time(s)`);
	}
	if (emitted.length !== expected.length)
		problems.push(
			`the trigger emitted ${emitted.join(', ')}; expected ${expected.join(', ')} once each`,
		);
	const answers = turnRequests(await control.requests(), 0).filter(
		(request) => messageKind(request) === 'approval' && expected.includes(agentOf(request) ?? ''),
	);
	const counted = countTurns(
		answers
			.filter((request) => request.status === 200)
			.map((request) => ({ agent: agentOf(request) ?? '', key: 'approval answer' })),
		new Map(expected.map((agent) => [agent, 1])),
	);
	problems.push(...counted.problems);
	console.log(
		`        (${executions.length} trigger executions, ${emitted.length} approvals emitted, ${answers.length} answers sent, ${counted.duplicates} duplicates, ${counted.lost} lost)`,
	);
	tally.accepted['approval answers'] = answers.filter((request) => request.status === 200).length;
	tally.duplicates += counted.duplicates;
	tally.lost += counted.lost;
	return problems;
}
