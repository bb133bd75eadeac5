import type { N8nItem, N8nRun } from '../n8n';
import type { SlackApprovalCases } from './slack/cases';
import type { SeedRunOptions } from '../simulator/control';

/**
 * The e2e cases are data: a workflow JSON with an `e2e` block (test/e2e/workflows/*.json)
 * or an entry of test/e2e/examples.json for a workflow of examples/. This file defines the
 * block and checks a run against it.
 *
 * Values in `json` are matched as a subset: objects need the listed keys only, arrays need
 * the same length and each element to match. Matchers replace a value:
 *   {"$regex": "heard: .+"}          a string matching the regular expression ("/.../i" for flags)
 *   {"$contains": "text"}            a string containing the text
 *   {"$notContains": "text"}         a string (or JSON of any value) not containing the text
 *   {"$exists": true | false}        the key is present (not undefined) or absent
 *   {"$length": 2}                   an array or a string of that length
 *   {"$type": "string"}              typeof (or "array", "null")
 */

export interface SimulatorCall {
	method: 'GET' | 'POST' | 'DELETE';
	/** A path of the control API, e.g. `/__sim/pending-approval`. */
	path: string;
	body?: unknown;
}

export interface OutputExpectation {
	/** Exact number of items on this output. */
	count?: number;
	/** Matched against the items in order (only as many as listed). */
	items?: Array<{ json?: unknown; pairedItem?: unknown }>;
	/** Matched against every item of the output. */
	every?: { json?: unknown };
}

export interface NodeExpectation {
	/** Outputs by index (0 = Completed, 1 = Needs Approval for Send Agent Message). */
	outputs?: OutputExpectation[];
	/** The node failed with this error. */
	error?: { message?: unknown; description?: unknown };
}

export interface RequestExpectation {
	method?: string;
	pathContains?: string;
	/** Only the requests the simulator answered with this HTTP status. */
	status?: number;
	/** Exact number of such requests the simulator received. */
	count: number;
	/** Matched against the bodies of those requests, in order (only as many as listed). */
	bodies?: unknown[];
}

export interface CaseExpectation {
	/**
	 * The node `n8n execute` must start at; by default the workflow's first Manual Trigger.
	 * n8n 2.41's execute starts at the first trigger in the `nodes` array (a Schedule Trigger
	 * listed before the Manual Trigger wins), so a workflow with two triggers lists its Manual
	 * Trigger first.
	 */
	startNode?: string;
	/** n8n's execution status: success, or error when the workflow must fail. */
	status: 'success' | 'error';
	/** For status error: the workflow error (resultData.error). */
	error?: { node?: string; message?: unknown; description?: unknown };
	/** Run data of these nodes (by name). */
	nodes?: Record<string, NodeExpectation>;
	/** These nodes must not have run. */
	notRun?: string[];
	/** Requests the simulator must have received during the run. */
	requests?: RequestExpectation[];
	/** Strings that must appear nowhere in the run (API keys). */
	nowhere?: string[];
	/**
	 * Requests the model stub (test/e2e/model/openAiStub.ts) received: how many, and their bodies
	 * in order (matched like json, only as many as listed).
	 */
	model?: { count: number; bodies?: unknown[] };
}

/**
 * Server mode: the workflow is published before `n8n start`, then this request goes to its
 * production webhook (`/webhook/<path>`), instead of a run by `n8n execute`.
 */
/**
 * A workflow that streams its answer (Chat Trigger or Webhook with Response Mode "Streaming"):
 * the answer is n8n's JSON lines, read as they arrive (streamingCases.ts).
 */
export interface StreamExpectation {
	/** The node whose `item` chunks make up the reply. */
	node: string;
	/** At least this many item chunks (streamed, not sent whole). */
	minItemChunks: number;
	/** The field of the node's output item that the joined item chunks equal (default `reply`). */
	field?: string;
	/**
	 * Also open the Chat Trigger's hosted chat page (GET of `path`) in headless Chromium, send
	 * `message` and wait for the agent's `reply` on the page (hostedChatPage.ts).
	 */
	hostedChatPage?: { path: string; message: string; reply: string };
}

export interface WebhookCall {
	/** After /webhook/, e.g. `<webhookId>/chat` for a Chat Trigger. */
	path: string;
	method?: 'GET' | 'POST';
	body?: unknown;
	/** The answer streams: `expect.body` is not used, the chunks are checked instead. */
	stream?: StreamExpectation;
	expect: {
		/** HTTP status of the webhook's answer. */
		status: number;
		/** Matched against the answer (parsed JSON, or the text). */
		body?: unknown;
		requests?: RequestExpectation[];
		/** Strings that must not appear in the answer. */
		nowhere?: string[];
	};
}

/** One action of the person in a human step: open a URL the workflow put out. */
export interface HumanAction {
	/** The node whose output carries the URL (read from its latest run). */
	node: string;
	/** Path of the URL in that node's item json, dots for nesting, e.g. `approve_url`. */
	field: string;
	/** Which item of the output (default 0). */
	item?: number;
	/** Which output of the node (default 0). */
	output?: number;
	/** Query parameters added to the URL. */
	query?: Record<string, string>;
	method?: 'GET' | 'POST';
	body?: unknown;
	/** The answer the person sees. */
	expect?: { status: number; body?: unknown };
}

/**
 * Server mode with a person in the loop: the workflow (started by its own trigger, e.g. a
 * polling Letta Trigger) is published before `n8n start`; its `setup` is applied before the
 * start, since the trigger polls once at activation. The suite waits for an execution of the
 * workflow to wait (a Wait or form step), follows each action's URL in turn (waiting for the
 * execution to wait again in between), then waits for the execution to finish and checks its
 * run data.
 */
export interface HumanStep {
	/** Seconds to wait for each waiting state, and for the end (default 90). */
	timeoutSeconds?: number;
	actions: HumanAction[];
	/** The finished execution (as for `expect`; `requests` count from after the setup). */
	expect: CaseExpectation;
}

/**
 * Server mode, Letta calling n8n back: the workflow (and `alsoPublish`) is published before
 * `n8n start`; per case the simulator is reset and set up, then `start` goes to the workflow's
 * production webhook. With `waitsIn`, the execution must show as waiting in n8n with a run of
 * that node; each `forged` body is then POSTed to the callback URL the node gave Letta (read
 * from the simulator's async request) and must be refused, the execution still waiting. Then
 * the execution must end as `expect` says. With `triggered`, the callback URL is a trigger's:
 * the forged bodies go there, `replay` sends Letta's own callback again, and the trigger's
 * workflow must have exactly `count` executions, the first checked against `expect`.
 */
/**
 * A callback Letta did not send. With `seedRun`, the simulator first makes a real run (of
 * that agent, not ended) and the body's `run_id` becomes its id: a callback about a run
 * that exists, but one the receiver must still refuse.
 */
export interface ForgedCallback {
	body: Record<string, unknown>;
	seedRun?: SeedRunOptions;
	expect: { status: number; body?: unknown };
}

export interface CallbackCase {
	start: { path: string; body?: unknown };
	/** Seconds for each wait (default 90). */
	timeoutSeconds?: number;
	waitsIn?: string;
	forged?: ForgedCallback[];
	/** Workflows published with this one (a Letta Run Trigger's). */
	alsoPublish?: string[];
	expect: CaseExpectation;
	triggered?: {
		workflowId: string;
		/** Letta's callbacks delivered (simulator) before the replay and the forged calls. */
		callbacks: number;
		replay?: { expect: { status: number; body?: unknown } };
		count: number;
		expect: CaseExpectation;
	};
}

export interface CaseSpec {
	description: string;
	/** Control API calls made after the simulator reset, before the run. */
	setup?: SimulatorCall[];
	/** Expectations of a run by `n8n execute` (the workflow starts at a Manual Trigger). */
	expect?: CaseExpectation;
	/** Or: a call to the published workflow's webhook with n8n in server mode. */
	webhook?: WebhookCall;
	/** Or: a published workflow that waits for a person, who follows a URL it put out. */
	humanStep?: HumanStep;
	/** Or: a published workflow that Letta calls back (Wait for Callback, Letta Run Trigger). */
	callback?: CallbackCase;
	/** Or: Slack approval cases, each a person answering (or not) in the Slack stand-in (slack/). */
	slack?: SlackApprovalCases;
	/**
	 * Or: a workflow that cannot run here (it needs an outside service), with the reason. Its
	 * import, node types and parameters are still checked in real n8n, like every workflow's.
	 */
	importOnly?: string;
}

type Matcher =
	| { $regex: string }
	| { $contains: string }
	| { $notContains: string }
	| { $exists: boolean }
	| { $length: number }
	| { $type: string };

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMatcher(value: unknown): value is Matcher {
	if (!isRecord(value)) return false;
	const keys = Object.keys(value);
	return keys.length === 1 && keys[0].startsWith('$');
}

/** "text" is a pattern without flags; "/text/i" carries flags. */
function toRegExp(source: string): RegExp {
	const withFlags = /^\/(.*)\/([dgimsuy]*)$/s.exec(source);
	return withFlags ? new RegExp(withFlags[1], withFlags[2]) : new RegExp(source);
}

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Returns the mismatches of `actual` against `expected` (empty when it matches). */
export function match(actual: unknown, expected: unknown, at = '$'): string[] {
	if (isMatcher(expected)) {
		const [key, operand] = Object.entries(expected)[0];
		switch (key) {
			case '$regex': {
				const regex = toRegExp(String(operand));
				return typeof actual === 'string' && regex.test(actual)
					? []
					: [`${at}: expected a string matching ${String(regex)}, got ${show(actual)}`];
			}
			case '$contains':
				return typeof actual === 'string' && actual.includes(String(operand))
					? []
					: [`${at}: expected a string containing ${show(operand)}, got ${show(actual)}`];
			case '$notContains': {
				const text = typeof actual === 'string' ? actual : (JSON.stringify(actual) ?? '');
				return text.includes(String(operand)) ? [`${at}: must not contain ${show(operand)}`] : [];
			}
			case '$exists':
				return (actual !== undefined) === operand
					? []
					: [`${at}: expected ${operand ? 'present' : 'absent'}, got ${show(actual)}`];
			case '$length': {
				const length =
					Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined;
				return length === operand
					? []
					: [`${at}: expected length ${String(operand)}, got ${show(actual)}`];
			}
			case '$type': {
				const type = actual === null ? 'null' : Array.isArray(actual) ? 'array' : typeof actual;
				return type === operand
					? []
					: [`${at}: expected a ${String(operand)}, got ${show(actual)}`];
			}
			default:
				return [`${at}: unknown matcher ${key}`];
		}
	}
	if (Array.isArray(expected)) {
		if (!Array.isArray(actual)) return [`${at}: expected an array, got ${show(actual)}`];
		if (actual.length !== expected.length) {
			return [`${at}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`];
		}
		return expected.flatMap((element, index) => match(actual[index], element, `${at}[${index}]`));
	}
	if (isRecord(expected)) {
		if (!isRecord(actual)) return [`${at}: expected an object, got ${show(actual)}`];
		return Object.entries(expected).flatMap(([key, value]) =>
			match(actual[key], value, `${at}.${key}`),
		);
	}
	return actual === expected ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
}

function outputsOf(run: N8nRun, node: string): Array<N8nItem[] | null> | undefined {
	const tasks = run.data.resultData.runData[node];
	if (!tasks || tasks.length === 0) return undefined;
	return tasks[tasks.length - 1].data?.main ?? [];
}

/** Checks a run against a case's expectations; returns what does not match. */
export function checkRun(run: N8nRun, expectation: CaseExpectation): string[] {
	const problems: string[] = [];
	const { resultData } = run.data;
	const status = resultData.error ? 'error' : 'success';
	if (status !== expectation.status) {
		const why = resultData.error
			? `: ${resultData.error.message}${resultData.error.description ? ` (${resultData.error.description})` : ''}`
			: '';
		problems.push(`expected the run to end in ${expectation.status}, it ended in ${status}${why}`);
	}
	if (expectation.error) {
		const error = resultData.error;
		if (!error) {
			problems.push('expected a workflow error, there is none');
		} else {
			if (expectation.error.node && error.node?.name !== expectation.error.node) {
				problems.push(
					`expected the error on node "${expectation.error.node}", it is on "${error.node?.name ?? '?'}"`,
				);
			}
			if (expectation.error.message !== undefined) {
				problems.push(...match(error.message, expectation.error.message, 'error.message'));
			}
			if (expectation.error.description !== undefined) {
				problems.push(
					...match(error.description, expectation.error.description, 'error.description'),
				);
			}
		}
	}
	for (const [node, nodeExpectation] of Object.entries(expectation.nodes ?? {})) {
		const tasks = resultData.runData[node];
		if (!tasks || tasks.length === 0) {
			problems.push(`node "${node}" did not run`);
			continue;
		}
		const task = tasks[tasks.length - 1];
		if (nodeExpectation.error) {
			if (!task.error) problems.push(`node "${node}": expected an error, it succeeded`);
			else {
				if (nodeExpectation.error.message !== undefined) {
					problems.push(
						...match(task.error.message, nodeExpectation.error.message, `${node}.error.message`),
					);
				}
				if (nodeExpectation.error.description !== undefined) {
					problems.push(
						...match(
							task.error.description,
							nodeExpectation.error.description,
							`${node}.error.description`,
						),
					);
				}
			}
		}
		const outputs = outputsOf(run, node) ?? [];
		(nodeExpectation.outputs ?? []).forEach((outputExpectation, index) => {
			const items = outputs[index] ?? [];
			const where = `${node} output ${index}`;
			if (outputExpectation.count !== undefined && items.length !== outputExpectation.count) {
				problems.push(
					`${where}: expected ${outputExpectation.count} item(s), got ${items.length}${
						items.length ? `: ${show(items.map((item) => item.json))}` : ''
					}`,
				);
			}
			(outputExpectation.items ?? []).forEach((itemExpectation, itemIndex) => {
				const item = items[itemIndex];
				if (!item) {
					problems.push(`${where}: no item ${itemIndex}`);
					return;
				}
				if (itemExpectation.json !== undefined) {
					problems.push(...match(item.json, itemExpectation.json, `${where}[${itemIndex}].json`));
				}
				if (itemExpectation.pairedItem !== undefined) {
					problems.push(
						...match(
							item.pairedItem,
							itemExpectation.pairedItem,
							`${where}[${itemIndex}].pairedItem`,
						),
					);
				}
			});
			if (outputExpectation.every?.json !== undefined) {
				items.forEach((item, itemIndex) => {
					problems.push(
						...match(item.json, outputExpectation.every?.json, `${where}[${itemIndex}].json`),
					);
				});
			}
		});
	}
	for (const node of expectation.notRun ?? []) {
		if (resultData.runData[node]?.length) problems.push(`node "${node}" ran, it must not`);
	}
	const whole = JSON.stringify(run);
	for (const secret of expectation.nowhere ?? []) {
		if (whole.includes(secret))
			problems.push(`the run contains ${show(secret)}, which must appear nowhere`);
	}
	return problems;
}
