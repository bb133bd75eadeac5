/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test tooling runs in plain Node, outside n8n, and reports on the console */
import { request } from 'undici';

import {
	FINAL_EXECUTION_STATUSES,
	type ExecutionDetails,
	type N8n,
	type WorkflowJson,
} from '../../n8n';
import {
	checkRun,
	match,
	type CaseExpectation,
	type RequestExpectation,
	type SimulatorCall,
} from '../expectations';
import type { SlackMessage, SlackStandIn } from './standIn';

/**
 * Slack approval cases (server mode): the workflow's Letta Trigger finds a pending approval,
 * n8n's Slack node posts the approval message to the Slack stand-in, and a person clicks one of
 * its buttons, or nobody does and the trigger's deadline denies. Given in test/e2e/examples.json
 * as `"slack": {"cases": [...]}`; each case activates the workflow on its own (its trigger polls
 * every agent, so no other case's approvals may be pending) and deactivates it at the end.
 */

export interface SlackClick {
	/** The label of the button the person clicks, e.g. "Approve". */
	button: string;
	/** The execution the click resumes, once it ended. */
	expect: CaseExpectation;
}

export interface SlackApprovalCase {
	description: string;
	/** Simulator control calls after a reset, before the workflow is activated. */
	setup?: SimulatorCall[];
	/** The posted message, matched as json against {channel, channelRequested, text, buttons}. */
	message: unknown;
	/** Minutes from the first to the second ISO time in the message text (the announced deadline). */
	messageDeadlineMinutes?: number;
	/** Days the Slack node lets its execution wait (its Limit Wait Time), read from waitTill. */
	waitDays?: number;
	/** The person clicks a button; without one nobody answers. */
	click?: SlackClick;
	/** Nobody answers: the next execution of the workflow (the trigger's deadline denial). */
	deadline?: CaseExpectation;
	/** After the deadline, the person clicks anyway. */
	lateClick?: SlackClick;
	/** Seconds for each wait (default 180: the trigger polls once a minute). */
	timeoutSeconds?: number;
}

export interface SlackApprovalCases {
	cases: SlackApprovalCase[];
}

export interface SlackCaseContext {
	n8n: N8n;
	standIn: SlackStandIn;
	/** Reset the simulator, apply the setup, clear its request log. */
	prepare(setup: SimulatorCall[]): Promise<void>;
	requestProblems(expectations: RequestExpectation[]): Promise<string[]>;
	/** What Letta (the simulator) received by POST since the setup, for the saved record. */
	lettaPosts(): Promise<unknown[]>;
	check(name: string, work: () => Promise<string[]>): Promise<boolean>;
	saveRun(name: string, run: unknown): void;
}

/** A person's browser: n8n's send-and-wait ignores link previews and bots (by user agent). */
const BROWSER_USER_AGENT =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined>,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const found = await probe();
		if (found !== undefined) return found;
		await sleep(500);
	}
	throw new Error(`no ${what} after ${timeoutMs / 1000} s`);
}

/** Publishes the workflow in the running server; its trigger polls once at activation. */
async function activate(n8n: N8n, workflowId: string): Promise<void> {
	const stored = await n8n.rest<{ data?: { versionId?: string } }>(
		'GET',
		`/rest/workflows/${workflowId}`,
	);
	const versionId = stored.body.data?.versionId;
	if (stored.status !== 200 || !versionId) {
		throw new Error(`GET /rest/workflows/${workflowId} answered ${stored.status}: ${stored.text}`);
	}
	const answer = await n8n.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
	if (answer.status !== 200) {
		throw new Error(
			`POST /rest/workflows/${workflowId}/activate answered ${answer.status}: ${answer.text}`,
		);
	}
}

/** The ids of the workflow's executions now, to tell the case's own from earlier ones. */
async function executionIds(n8n: N8n, workflowId: string): Promise<Set<string>> {
	return new Set((await n8n.executions(workflowId)).map((execution) => execution.id));
}

async function untilFinished(n8n: N8n, id: string, timeoutMs: number): Promise<ExecutionDetails> {
	return await waitFor(`end of execution ${id}`, timeoutMs, async () => {
		const execution = await n8n.execution(id);
		return FINAL_EXECUTION_STATUSES.includes(execution.status) ? execution : undefined;
	});
}

function deadlineProblems(message: SlackMessage, minutes: number): string[] {
	const [requested, deadline] = message.text.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g) ?? [];
	if (requested === undefined || deadline === undefined)
		return [`the message names no request time and deadline: ${message.text}`];
	const announced = (Date.parse(deadline) - Date.parse(requested)) / 60_000;
	return Math.abs(announced - minutes) < 0.01
		? []
		: [`the message announces a deadline ${announced} minutes after the request, not ${minutes}`];
}

interface ClickRecord {
	button: string;
	url: string;
	status: number;
}

async function clickButton(message: SlackMessage, label: string): Promise<ClickRecord> {
	const button = message.buttons.find((candidate) => candidate.text === label);
	if (!button?.url) {
		throw new Error(
			`the message has no link button "${label}": ${JSON.stringify(message.buttons.map((b) => b.text))}`,
		);
	}
	const response = await request(button.url, {
		headers: { 'user-agent': BROWSER_USER_AGENT, accept: 'text/html' },
		headersTimeout: 120_000,
		bodyTimeout: 120_000,
	});
	await response.body.dump();
	return { button: label, url: button.url, status: response.statusCode };
}

function shortUrl(url: string): string {
	return url.replace(/signature=[^&]+/, 'signature=…');
}

async function runCase(
	context: SlackCaseContext,
	workflow: WorkflowJson,
	slackCase: SlackApprovalCase,
	name: string,
): Promise<string[]> {
	const { n8n, standIn } = context;
	const workflowId = workflow.id ?? '';
	const timeoutMs = (slackCase.timeoutSeconds ?? 180) * 1000;
	const problems: string[] = [];
	const record: Record<string, unknown> = {};
	await context.prepare(slackCase.setup ?? []);
	standIn.clear();
	const earlier = await executionIds(n8n, workflowId);
	await activate(n8n, workflowId);
	try {
		const message = await waitFor('Slack message', timeoutMs, async () => standIn.messages()[0]);
		record.message = { ...message, blocks: undefined };
		console.log(
			`        (posted to ${message.channelRequested}: ${JSON.stringify(message.text)}; buttons ${message.buttons
				.map((button) => `${button.text} -> ${shortUrl(button.url ?? '')}`)
				.join(', ')})`,
		);
		problems.push(
			...match(
				{
					channel: message.channel,
					channelRequested: message.channelRequested,
					text: message.text,
					buttons: message.buttons,
				},
				slackCase.message,
				'message',
			),
		);
		if (slackCase.messageDeadlineMinutes !== undefined)
			problems.push(...deadlineProblems(message, slackCase.messageDeadlineMinutes));
		const waiting = await waitFor('waiting execution', timeoutMs, async () => {
			for (const summary of await n8n.executions(workflowId, ['waiting'])) {
				if (!earlier.has(summary.id)) return await n8n.execution(summary.id);
			}
			return undefined;
		});
		earlier.add(waiting.id);
		if (slackCase.waitDays !== undefined) {
			const days = (Date.parse(String(waiting.waitTill)) - Date.now()) / 86_400_000;
			if (Math.abs(days - slackCase.waitDays) > 0.01)
				problems.push(`the execution waits ${days.toFixed(3)} days, not ${slackCase.waitDays}`);
		}
		const clicks: ClickRecord[] = [];
		const resume = async (click: SlackClick, label: string): Promise<void> => {
			const clicked = await clickButton(message, click.button);
			clicks.push(clicked);
			console.log(
				`        (execution ${waiting.id}: the person clicks ${click.button}: GET ${shortUrl(clicked.url)} -> ${clicked.status})`,
			);
			if (clicked.status !== 200) problems.push(`${label}: the click answered ${clicked.status}`);
			const ended = await untilFinished(n8n, waiting.id, timeoutMs);
			record[label] = { id: ended.id, status: ended.status, run: ended.run };
			problems.push(...checkRun(ended.run, click.expect).map((p) => `${label}: ${p}`));
			problems.push(
				...(await context.requestProblems(click.expect.requests ?? [])).map(
					(p) => `${label}: ${p}`,
				),
			);
		};
		if (slackCase.click) await resume(slackCase.click, 'click');
		if (slackCase.deadline) {
			const denial = await waitFor('execution of the deadline denial', timeoutMs, async () => {
				for (const summary of await n8n.executions(workflowId)) {
					if (earlier.has(summary.id)) continue;
					const execution = await n8n.execution(summary.id);
					if (FINAL_EXECUTION_STATUSES.includes(execution.status)) return execution;
				}
				return undefined;
			});
			console.log(
				`        (nobody clicked: execution ${denial.id} is the trigger's deadline poll)`,
			);
			record.deadline = { id: denial.id, status: denial.status, run: denial.run };
			problems.push(...checkRun(denial.run, slackCase.deadline).map((p) => `deadline: ${p}`));
			problems.push(
				...(await context.requestProblems(slackCase.deadline.requests ?? [])).map(
					(p) => `deadline: ${p}`,
				),
			);
		}
		if (slackCase.lateClick) await resume(slackCase.lateClick, 'late click');
		record.clicks = clicks;
		record.lettaPosts = await context.lettaPosts();
		record.slackCalls = standIn.calls().map(({ method, apiMethod, error }) => ({
			method,
			apiMethod,
			...(error ? { error } : {}),
		}));
		const refused = standIn.refused();
		if (refused.length > 0)
			problems.push(`n8n tried to reach other hosts through the proxy: ${refused.join(', ')}`);
		return problems;
	} finally {
		context.saveRun(name, record);
		await n8n.deactivateWorkflow(workflowId);
	}
}

/** Runs each case of a workflow in turn, as one check each. */
export async function runSlackCases(
	context: SlackCaseContext,
	caseName: string,
	workflow: WorkflowJson,
	cases: SlackApprovalCases,
): Promise<void> {
	for (const [index, slackCase] of cases.cases.entries()) {
		const name = `${caseName} (${index + 1}/${cases.cases.length}): ${slackCase.description}`;
		await context.check(name, async () => await runCase(context, workflow, slackCase, name));
	}
}
