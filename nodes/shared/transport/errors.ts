import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorCode, errorDetail } from './errorBody';
import { isConversationBusy, MAX_RETRIES } from './retry';

/**
 * How a failed request reads to the user: what went wrong, for which item, how to fix it.
 * Never the API key: every text that could echo it is redacted.
 */

/** What the request was about, so an error can say it in the user's terms. */
export interface RequestSubject {
	itemIndex?: number;
	/** e.g. `agent agent-…` or `connection abc`: named in 404 errors. */
	resource?: string;
	/** e.g. the agent id: named in pending-approval errors. */
	agentId?: string;
}

function redact(text: string, secret: string): string {
	return secret.length >= 4 ? text.split(secret).join('***') : text;
}

function forItem(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

interface ErrorWording {
	message: string;
	description: string;
}

function describeStatus(status: number, detail: string, subject: RequestSubject): ErrorWording {
	const what = subject.resource ?? 'the requested resource';
	switch (status) {
		case 400:
			return { message: `Letta refused the request: ${detail}`, description: detail };
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
			return {
				message: `Letta could not find ${what} (404)`,
				description: `${detail || 'Not found.'} Check the id, and that the credential's project can see it.`,
			};
		case 409:
			if (isConversationBusy(detail)) {
				return {
					message: `Letta is still busy with another request on this conversation (409)`,
					description: `${detail} Another workflow or client is talking to the same agent and conversation. Retried ${MAX_RETRIES} times; run again later or use a separate conversation.`,
				};
			}
			return {
				message: `${subject.agentId ? `Agent ${subject.agentId}` : 'The agent'} is waiting for a tool approval (409)`,
				description: `${detail} Answer the pending approval first: send an approval answer with the "Answer Approval" input (the Needs Approval output and the Letta Trigger give you the ids), then send new messages.`,
			};
		case 422:
			return {
				message: `Letta refused the request body (422): ${detail}`,
				description:
					'A field has a value Letta does not accept. Check the node parameters and any JSON you provide.',
			};
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
	secret: string,
): NodeApiError {
	const detail = redact(errorDetail(response.body), secret);
	const wording = describeStatus(response.statusCode, detail, subject);
	const errorResponse: JsonObject = { status: response.statusCode, detail };
	return new NodeApiError(node, errorResponse, {
		message: redact(wording.message, secret) + forItem(subject.itemIndex),
		description: redact(wording.description, secret),
		httpCode: String(response.statusCode),
		itemIndex: subject.itemIndex,
	});
}

/** A failure with no HTTP answer. Built from scratch so no request header (the key) is carried along. */
export function transportError(
	node: INode,
	error: Error,
	timeoutMs: number,
	subject: RequestSubject,
	secret: string,
): NodeApiError {
	const code = errorCode(error);
	const timedOut =
		code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message);
	const wording: ErrorWording = timedOut
		? {
				message: `Letta did not answer within ${Math.round(timeoutMs / 1000)} s`,
				description:
					'The agent may still be working: the message was not resent, because resending could run the agent twice. Raise the Timeout option, or lower Max Steps.',
			}
		: {
				message: `Could not reach Letta: ${redact(error.message, secret)}`,
				description: 'Check the base URL in the Letta credential and that the server is running.',
			};
	return new NodeApiError(
		node,
		{ code: code ?? 'UNKNOWN', message: redact(error.message, secret) },
		{
			message: wording.message + forItem(subject.itemIndex),
			description: wording.description,
			itemIndex: subject.itemIndex,
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
