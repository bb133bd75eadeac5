import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

/**
 * The only module that talks HTTP to Letta. Every request goes through
 * `httpRequestWithAuthentication`, so the credential adds the Bearer key.
 */

export const LETTA_CREDENTIAL_TYPE = 'lettaCommunityApi';

export type LettaContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Retries after a refusal the server made before doing any work (429, 503, 409 busy). */
export const MAX_RETRIES = 3;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
const RETRY_AFTER_CAP_MS = 60_000;
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;

export interface LettaRequest {
	method: IHttpRequestMethods;
	/** Path exactly as the spec writes it, e.g. `/v1/agents/` (trailing slash included). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	timeoutMs?: number;
}

/** What the request was about, so an error can say it in the user's terms. */
export interface RequestSubject {
	itemIndex?: number;
	/** e.g. `agent agent-…` or `connection abc`: named in 404 errors. */
	resource?: string;
	/** e.g. the agent id: named in pending-approval errors. */
	agentId?: string;
}

export interface LettaClient {
	request<T>(request: LettaRequest, subject?: RequestSubject): Promise<T>;
}

/** Accepts `https://api.letta.com`, `…/`, `…/v1` and `…/v1/`: paths always start with `/v1`. */
export function normalizeBaseUrl(raw: string): string {
	return raw.trim().replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
}

export async function createLettaClient(context: LettaContext): Promise<LettaClient> {
	const credentials = await context.getCredentials(LETTA_CREDENTIAL_TYPE);
	const baseURL = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
	const secret = String(credentials.apiKey ?? '');
	const projectId = String(credentials.projectId ?? '').trim();
	const headers = projectId ? { 'X-Project-Id': projectId } : undefined;
	return {
		request: async <T>(request: LettaRequest, subject: RequestSubject = {}) =>
			await send<T>(context, { baseURL, headers }, secret, request, subject),
	};
}

async function send<T>(
	context: LettaContext,
	target: Pick<IHttpRequestOptions, 'baseURL' | 'headers'>,
	secret: string,
	request: LettaRequest,
	subject: RequestSubject,
): Promise<T> {
	const options: IHttpRequestOptions = {
		method: request.method,
		...target,
		url: request.path,
		qs: request.qs,
		body: request.body,
		json: true,
		arrayFormat: 'repeat',
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				LETTA_CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			if (isConnectionRefused(error) && attempt < MAX_RETRIES) {
				await sleep(backoffMs(attempt));
				continue;
			}
			throw transportError(context, error as Error, request, subject, secret);
		}
		if (response.statusCode < 400) return response.body as T;
		const delay = retryDelayMs(response, attempt);
		if (delay !== undefined && attempt < MAX_RETRIES) {
			await sleep(delay);
			continue;
		}
		throw apiError(context, response, subject, secret);
	}
}

function backoffMs(attempt: number): number {
	return Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_CAP_MS);
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Server-suggested wait: `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(response: IN8nHttpFullResponse): number | undefined {
	const ms = Number(header(response, 'retry-after-ms'));
	if (Number.isFinite(ms) && ms >= 0 && header(response, 'retry-after-ms') !== undefined) {
		return Math.min(ms, RETRY_AFTER_CAP_MS);
	}
	const value = header(response, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0) * 1000, RETRY_AFTER_CAP_MS);
	const date = Date.parse(value);
	return Number.isNaN(date)
		? undefined
		: Math.min(Math.max(date - Date.now(), 0), RETRY_AFTER_CAP_MS);
}

const QUOTA_REASONS = /exceeded-quota|not-enough-credits|insufficient|quota/i;

/**
 * How long to wait before resending, or undefined when resending is not safe or not useful.
 * Only refusals made before any work was done are retried: a message POST is not idempotent.
 */
export function retryDelayMs(response: IN8nHttpFullResponse, attempt: number): number | undefined {
	const detail = errorDetail(response.body);
	const suggested = retryAfterMs(response);
	switch (response.statusCode) {
		case 429:
			return QUOTA_REASONS.test(detail) ? undefined : (suggested ?? backoffMs(attempt));
		case 503:
			return suggested ?? backoffMs(attempt);
		case 409:
			if (/CONVERSATION_BUSY/i.test(detail) || suggested !== undefined) {
				return suggested ?? backoffMs(attempt);
			}
			return undefined;
		default:
			return undefined;
	}
}

/** Letta's error text: `detail` (a string, or a validation list on 422) or `{errorCode, message}`. */
export function errorDetail(body: unknown): string {
	if (typeof body === 'string') return body;
	if (!body || typeof body !== 'object') return '';
	const { detail, message, errorCode } = body as Record<string, unknown>;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((entry) => {
				const { loc, msg } = (entry ?? {}) as { loc?: unknown[]; msg?: string };
				return Array.isArray(loc) ? `${loc.join('.')}: ${msg ?? ''}` : String(msg ?? '');
			})
			.join('; ');
	}
	if (typeof message === 'string') return errorCode ? `${String(errorCode)}: ${message}` : message;
	return JSON.stringify(body);
}

function redact(text: string, secret: string): string {
	return secret.length >= 4 ? text.split(secret).join('***') : text;
}

function forItem(subject: RequestSubject): string {
	return subject.itemIndex === undefined ? '' : ` [item ${subject.itemIndex}]`;
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
			if (/CONVERSATION_BUSY/i.test(detail)) {
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

function apiError(
	context: LettaContext,
	response: IN8nHttpFullResponse,
	subject: RequestSubject,
	secret: string,
): NodeApiError {
	const detail = redact(errorDetail(response.body), secret);
	const wording = describeStatus(response.statusCode, detail, subject);
	const errorResponse: JsonObject = { status: response.statusCode, detail };
	return new NodeApiError(context.getNode(), errorResponse, {
		message: redact(wording.message, secret) + forItem(subject),
		description: redact(wording.description, secret),
		httpCode: String(response.statusCode),
		itemIndex: subject.itemIndex,
	});
}

function errorCode(error: unknown): string | undefined {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}

function isConnectionRefused(error: unknown): boolean {
	return errorCode(error) === 'ECONNREFUSED';
}

/** A failure with no HTTP answer. Built from scratch so no request header (the key) is carried along. */
function transportError(
	context: LettaContext,
	error: Error,
	request: LettaRequest,
	subject: RequestSubject,
	secret: string,
): NodeApiError {
	const code = errorCode(error);
	const timedOut =
		code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message);
	const wording: ErrorWording = timedOut
		? {
				message: `Letta did not answer within ${Math.round((request.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
				description:
					'The agent may still be working: the message was not resent, because resending could run the agent twice. Raise the Timeout option, or lower Max Steps.',
			}
		: {
				message: `Could not reach Letta: ${redact(error.message, secret)}`,
				description: 'Check the base URL in the Letta credential and that the server is running.',
			};
	return new NodeApiError(
		context.getNode(),
		{ code: code ?? 'UNKNOWN', message: redact(error.message, secret) },
		{
			message: wording.message + forItem(subject),
			description: wording.description,
			itemIndex: subject.itemIndex,
		},
	);
}
