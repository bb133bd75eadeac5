import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	approvalRefusal,
	conflictKind,
	errorCode,
	isUnknownRoute,
	readErrorBody,
	type ErrorFacts,
} from './errorBody';

/**
 * How a failed request reads to the user: what went wrong, for which item, how to fix it.
 * Never the API key: every text that could echo it is redacted. Messages never carry a
 * low-level code such as ECONNABORTED: n8n would replace the whole message with its own text.
 */

/** What the request was about, so an error can say it in the user's terms. */
export interface RequestSubject {
	itemIndex?: number;
	/** e.g. `agent agent-…` or `connection abc`: named in 404 errors. */
	resource?: string;
	/** e.g. the agent id: named in pending-approval errors. */
	agentId?: string;
	/**
	 * For a request that starts agent work: the run it started, looked up after a timeout or a
	 * cut-off answer so the error can name it (undefined when none is found).
	 */
	findRun?: () => Promise<string | undefined>;
}

/** Where the requests went: a wrong base URL is named in the error (never with a key). */
export interface RequestTarget {
	baseUrl: string;
	secret: string;
}

function redact(text: string, secret: string): string {
	return secret.length >= 4 ? text.split(secret).join('***') : text;
}

/** The base URL as an error may show it: without user, password or query. */
export function displayUrl(baseUrl: string): string {
	try {
		const url = new URL(baseUrl);
		return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
	} catch {
		return baseUrl.split('?')[0];
	}
}

export function forItem(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

export interface ErrorWording {
	message: string;
	description: string;
}

const ANSWER_APPROVAL_HOW =
	'Answer it first with the "Answer Approval" input of Send Agent Message or Send to Environment (map the answer_to block of the Needs Approval output or of a Letta Trigger item), then send new messages.';

/**
 * A pending approval refused the message: worded once for the plain 409 and for the same
 * refusal reported inside a stream.
 */
export function pendingApprovalWording(
	agentId: string | undefined,
	pendingRequestId?: string,
): ErrorWording {
	const agent = agentId ? `Agent ${agentId}` : 'The agent';
	const request = pendingRequestId ? ` (approval request ${pendingRequestId})` : '';
	return {
		message: `${agent} is waiting for a tool approval${request}, so Letta refused the message`,
		description: `Letta did not process the message. ${ANSWER_APPROVAL_HOW} A Letta Trigger starts a workflow for each pending approval.`,
	};
}

/** How often a request was sent before its error, and over how long. */
export interface RequestTries {
	attempts: number;
	waitedMs: number;
}

function describeConflict(
	facts: ErrorFacts,
	subject: RequestSubject,
	tries: RequestTries,
): ErrorWording {
	const kind = conflictKind(facts.detail);
	if (kind === 'busy') {
		const holder = facts.runId ? `another request (run ${facts.runId})` : 'another request';
		const waited = Math.round(tries.waitedMs / 1000);
		return {
			message: `Letta is busy: ${holder} holds ${subject.resource ?? 'this conversation'} (409)`,
			description: `Letta refused the message before doing any work, because ${holder} is still being processed there. It was sent ${tries.attempts} times over ${waited} s, waiting for that request to end, until the Timeout ran out. Another workflow or client is talking to the same agent and conversation: raise the Timeout, run again once it has finished, or send to a separate conversation.`,
		};
	}
	if (kind === 'pendingApproval') {
		const wording = pendingApprovalWording(subject.agentId, facts.pendingRequestId);
		return { ...wording, message: `${wording.message} (409)` };
	}
	return {
		message: `Letta refused the request: ${facts.detail || 'conflict'} (409)`,
		description: 'Another change got in the way. Run again once it is finished.',
	};
}

function describeBadRequest(facts: ErrorFacts): ErrorWording {
	const refusal = approvalRefusal(facts.detail);
	if (refusal?.kind === 'toolCallIds') {
		return {
			message: `Letta refused the approval answer: it must answer tool call(s) ${refusal.expected.join(', ')}, but answered ${refusal.received.join(', ') || 'none'} (400)`,
			description:
				'Letta needs every pending tool call answered in one request. Map the whole answer_to block of the current approval request (from the Needs Approval output or a Letta Trigger item).',
		};
	}
	if (refusal?.kind === 'nothingPending') {
		return {
			message: 'Letta refused the approval answer: no tool call is waiting for approval (400)',
			description:
				'The approval was answered already, or the run that asked has ended. Nothing was run. Send a regular message, or answer the approval request a current Letta Trigger or Needs Approval item names.',
		};
	}
	return { message: `Letta refused the request: ${facts.detail} (400)`, description: facts.detail };
}

function describeValidation(facts: ErrorFacts): ErrorWording {
	const problems = facts.problems.length ? facts.problems : [facts.detail || 'no details given'];
	return {
		message: `Letta refused the request body (422): ${problems.join('; ')}`,
		description: `${problems.join('\n')}\nA field has a value Letta does not accept. Check the node parameters and any JSON you provide (field names are those of the Letta API).`,
	};
}

function describeStatus(
	status: number,
	facts: ErrorFacts,
	subject: RequestSubject,
	target: RequestTarget,
	tries: RequestTries,
): ErrorWording {
	const { detail } = facts;
	const what = subject.resource ?? 'the requested resource';
	switch (status) {
		case 400:
			return describeBadRequest(facts);
		case 401:
		case 403:
			return {
				message: `Letta rejected the API key (${status})`,
				description:
					'Check the API key and the base URL in the Letta credential. Letta Cloud keys are created at app.letta.com under API keys; a self-hosted server takes the key it was started with.',
			};
		case 402:
			return {
				message: 'Letta refused the request: the account has no credits left (402)',
				description: 'Add credits to the Letta account, or use another credential.',
			};
		case 404:
			if (isUnknownRoute(facts)) {
				return {
					message: `The base URL looks wrong: ${displayUrl(target.baseUrl)} has no Letta API (404)`,
					description: `The answer was not Letta's. Set the credential's base URL to the server's root, without a path: https://api.letta.com for Letta Cloud, or e.g. http://localhost:8283 for a self-hosted server (a trailing /v1 is fine).`,
				};
			}
			return {
				message: `Letta could not find ${what} (404)`,
				description: `${detail || 'Not found.'} Check the id, and that the credential's project can see it.`,
			};
		case 409:
			return describeConflict(facts, subject, tries);
		case 422:
			return describeValidation(facts);
		case 429:
			return {
				message: `Letta rate limit or quota reached (429)`,
				description: `${detail} Lower the node's concurrency, or wait for the quota to reset.`,
			};
		default:
			return {
				message: `Letta API error ${status}: ${detail || 'no details given'}`,
				description: status >= 500 ? 'The Letta server failed. Try again later.' : detail,
			};
	}
}

/** An HTTP error answer (after the retries), worded for its status. */
export function apiError(
	node: INode,
	response: IN8nHttpFullResponse,
	subject: RequestSubject,
	target: RequestTarget,
	tries: RequestTries = { attempts: 1, waitedMs: 0 },
): NodeApiError {
	const facts = readErrorBody(response.body);
	const wording = describeStatus(response.statusCode, facts, subject, target, tries);
	const errorResponse: JsonObject = {
		status: response.statusCode,
		detail: redact(facts.detail, target.secret),
		...(facts.runId ? { run_id: facts.runId } : {}),
		...(facts.pendingRequestId ? { pending_request_id: facts.pendingRequestId } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message: redact(wording.message, target.secret) + forItem(subject.itemIndex),
		description: redact(wording.description, target.secret),
		httpCode: String(response.statusCode),
		itemIndex: subject.itemIndex,
	});
}

/** How a request failed without an HTTP answer. */
export type TransportFailure = 'timeout' | 'cutOff' | 'unreachable';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function transportFailure(error: unknown): TransportFailure {
	const code = errorCode(error);
	const text = error instanceof Error ? error.message : String(error);
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) return 'timeout';
	if (code && UNREACHABLE_CODES.has(code)) return 'unreachable';
	return 'cutOff';
}

/** What was sent when the failure happened: whether it may have started agent work. */
export interface SentRequest {
	/** A request that may have started a run (a message POST), as opposed to a read. */
	startsWork: boolean;
	timeoutMs: number;
	/** The run it started, when it could be found. */
	runId?: string;
}

function describeTransport(
	failure: TransportFailure,
	error: Error,
	sent: SentRequest,
	target: RequestTarget,
): ErrorWording {
	const run = sent.runId ? ` (run ${sent.runId})` : '';
	const notResent =
		"It was not resent, because resending could run the agent twice: look at the run or the agent's messages in Letta before sending it again.";
	if (failure === 'timeout') {
		return {
			message: `Letta did not answer within ${Math.round(sent.timeoutMs / 1000)} s`,
			description: sent.startsWork
				? `The message reached Letta and the agent may still be working on it${run}. ${notResent} Raise the Timeout option, or lower Max Steps.`
				: 'Try again later, or raise the Timeout option.',
		};
	}
	if (failure === 'cutOff') {
		return {
			message: sent.startsWork
				? `Letta's answer was cut off: the connection dropped after the message was sent${run}`
				: "Letta's answer was cut off: the connection dropped",
			description: sent.startsWork
				? `The run may have completed${run}; its reply was lost on the way. ${notResent} (${redact(error.message, target.secret)})`
				: `The connection dropped before the answer arrived (${redact(error.message, target.secret)}). Try again.`,
		};
	}
	return {
		message: `Could not reach Letta at ${displayUrl(target.baseUrl)}`,
		description: `${redact(error.message, target.secret)}. Check the base URL in the Letta credential and that the server is running.`,
	};
}

/**
 * A failure with no HTTP answer. Built from scratch so no request header (the key) is carried
 * along, and without a `code` field: n8n would swap the message for its generic text.
 */
export function transportError(
	node: INode,
	error: Error,
	sent: SentRequest,
	subject: RequestSubject,
	target: RequestTarget,
): NodeApiError {
	const failure = transportFailure(error);
	const wording = describeTransport(failure, error, sent, target);
	const errorResponse: JsonObject = {
		failure,
		connection_error: errorCode(error) ?? 'UNKNOWN',
		run_may_continue: sent.startsWork && failure !== 'unreachable',
		...(sent.runId ? { run_id: sent.runId } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message: redact(wording.message, target.secret) + forItem(subject.itemIndex),
		description: redact(wording.description, target.secret),
		itemIndex: subject.itemIndex,
	});
}

/**
 * After this error the request's run may still be going (a timeout or a dropped answer):
 * the next request of its lane must wait for that run to end. The run id when known.
 */
export function runMayContinue(error: unknown): { runId?: string } | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const response = (error.errorResponse ?? {}) as JsonObject;
	if (response.run_may_continue !== true) return undefined;
	return typeof response.run_id === 'string' ? { runId: response.run_id } : {};
}

/** Why an item was not sent: the run of an earlier item of its lane did not end in time. */
export interface LaneBlocked {
	/** The earlier item that timed out or was cut off. */
	previousItem: number;
	/** The runs still going, e.g. `run-…`. */
	runIds: string[];
	/** e.g. `agent agent-…` or `conversation conv-… (agent agent-…)`. */
	resource: string;
	waitedMs: number;
}

/** The error of every later item of a lane whose earlier run is still going. */
export function laneBlockedError(
	node: INode,
	blocked: LaneBlocked,
	itemIndex: number,
): NodeApiError {
	const runs = blocked.runIds.join(', ');
	return new NodeApiError(
		node,
		{ failure: 'laneBlocked', run_ids: blocked.runIds },
		{
			message: `Not sent: run ${runs} on ${blocked.resource} was still running ${Math.round(blocked.waitedMs / 1000)} s after item ${blocked.previousItem} timed out or was cut off${forItem(itemIndex)}`,
			description: `Sending now would overlap two runs on the same agent and conversation, so this item and the rest of its lane were not sent. Wait for run ${runs} to finish (or cancel it in Letta), then run these items again; raise the Timeout option if Letta needs longer.`,
			itemIndex,
		},
	);
}

/** An answer that arrived but is not what the spec promises (checked by the api/ module that asked). */
export interface UnexpectedAnswer {
	/** What was answered, e.g. `the list of environment connections`; omitted for a message reply. */
	what?: string;
	/** What is wrong with it, e.g. a zod error described. */
	problem: string;
	/** What the user can check, e.g. whether the base URL is a Letta server. */
	hint?: string;
	itemIndex?: number;
}

/** The one "Letta answered with an unexpected response" error. */
export function unexpectedResponse(node: INode, answer: UnexpectedAnswer): NodeApiError {
	const { what, problem, hint, itemIndex } = answer;
	return new NodeApiError(node, { response: 'unexpected shape' } as JsonObject, {
		message: `Letta answered${what ? ` ${what}` : ''} with an unexpected response${forItem(itemIndex)}`,
		description: hint ? `${problem}. ${hint}` : problem,
		itemIndex,
	});
}

/** A run the node stopped waiting for at its Timeout. */
export interface RunStillGoing {
	runId: string;
	/** e.g. `agent agent-…` or `conversation conv-… (agent agent-…)`. */
	resource: string;
	waitedMs: number;
	/** Cancelled on the user's request ("Cancel Run on Timeout"). */
	cancelled: boolean;
}

/**
 * The Timeout passed while the run went on. The lane's next item waits for it (run_may_continue)
 * either way: a cancelled run may take a moment to stop.
 */
export function runStillGoingError(
	node: INode,
	run: RunStillGoing,
	itemIndex: number,
): NodeApiError {
	const seconds = Math.round(run.waitedMs / 1000);
	return new NodeApiError(
		node,
		{ failure: 'timeout', run_may_continue: true, run_id: run.runId, cancelled: run.cancelled },
		{
			message: run.cancelled
				? `Run ${run.runId} on ${run.resource} did not end within ${seconds} s and was cancelled${forItem(itemIndex)}`
				: `Run ${run.runId} on ${run.resource} is still going after ${seconds} s${forItem(itemIndex)}`,
			description: run.cancelled
				? 'The Timeout option passed and "Cancel Run on Timeout" is on, so the run was cancelled. Raise the Timeout option if the agent needs longer.'
				: `The Timeout option passed; the agent is still working on it in Letta. Read its result later (Letta node, Run > Get Messages, run ${run.runId}), raise the Timeout option, or turn on "Cancel Run on Timeout".`,
			itemIndex,
		},
	);
}
