import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	apiError,
	transportError,
	transportFailure,
	type RequestSubject,
	type RequestTarget,
} from './errors';
import { backoffMs, isConnectionRefused, MAX_RETRIES, mayResend, retryDelayMs } from './retry';
import { isStreamBody, readAllText, type StreamBody } from './stream';

/**
 * The only module that talks HTTP to Letta. Every request goes through
 * `httpRequestWithAuthentication`, so the credential adds the Bearer key.
 * Answers come back as `unknown`: the api/ module that asked validates them.
 * The credential is read once per client (once per execution) and handed over decrypted:
 * otherwise n8n looks it up and decrypts it again for every request.
 */

export const LETTA_CREDENTIAL_TYPE = 'lettaCommunityApi';

export type LettaContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions;

export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
/** The Timeout options' range: at least a second, at most a day (timers overflow near 24.8 days). */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 86_400;

export interface LettaRequest {
	method: IHttpRequestMethods;
	/** Path exactly as the spec writes it, e.g. `/v1/agents/` (trailing slash included). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	timeoutMs?: number;
}

export type { RequestSubject } from './errors';

export interface LettaClient {
	/** The node the requests are made for: errors about the answers name it. */
	readonly node: INode;
	/** Sends one request (retrying refusals made before any work); the answer is not checked yet. */
	request(request: LettaRequest, subject?: RequestSubject): Promise<unknown>;
	/**
	 * Sends a request whose answer streams (SSE) and hands back the open body; an error answer
	 * is read whole and thrown as `request` would, after the same retries unless `mayRetry` says no.
	 */
	openStream(
		request: LettaRequest,
		subject?: RequestSubject,
		mayRetry?: (response: IN8nHttpFullResponse) => boolean,
	): Promise<StreamBody>;
}

/** Accepts `https://api.letta.com`, `…/`, `…/v1` and `…/v1/`: paths always start with `/v1`. */
export function normalizeBaseUrl(raw: string): string {
	return raw.trim().replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
}

export async function createLettaClient(context: LettaContext): Promise<LettaClient> {
	const credentials = await context.getCredentials(LETTA_CREDENTIAL_TYPE);
	const stored = context.getNode().credentials?.[LETTA_CREDENTIAL_TYPE];
	const auth: IAdditionalCredentialOptions = {
		credentialsDecrypted: {
			id: stored?.id ?? '',
			name: stored?.name ?? '',
			type: LETTA_CREDENTIAL_TYPE,
			data: credentials,
		},
	};
	const baseURL = normalizeBaseUrl(String(credentials.baseUrl ?? ''));
	const target: RequestTarget = { baseUrl: baseURL, secret: String(credentials.apiKey ?? '') };
	const projectId = String(credentials.projectId ?? '').trim();
	const headers = projectId ? { 'X-Project-Id': projectId } : undefined;
	const connection: Connection = { http: { baseURL, headers }, auth, target };
	return {
		node: context.getNode(),
		request: async (request: LettaRequest, subject: RequestSubject = {}) =>
			await send(context, connection, request, subject),
		openStream: async (request, subject = {}, mayRetry) =>
			(await send(context, connection, request, subject, { mayRetry })) as StreamBody,
	};
}

/** Whether an exception after sending may be retried: refused before sending, or a dropped read. */
function mayRetryException(error: unknown, method: IHttpRequestMethods): boolean {
	if (isConnectionRefused(error)) return true;
	return method === 'GET' && transportFailure(error) === 'cutOff';
}

/** The run a timed-out or cut-off request started, if the subject can find it; never fails. */
async function findRun(subject: RequestSubject): Promise<string | undefined> {
	try {
		return await subject.findRun?.();
	} catch {
		return undefined;
	}
}

/** An error answer read from a stream: JSON when it is, else the text itself. */
function parseErrorText(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** What every request of one client shares: where to, the credential, what errors must hide. */
interface Connection {
	http: Pick<IHttpRequestOptions, 'baseURL' | 'headers'>;
	auth: IAdditionalCredentialOptions;
	target: RequestTarget;
}

async function send(
	context: LettaContext,
	{ http, auth, target }: Connection,
	request: LettaRequest,
	subject: RequestSubject,
	streamed?: { mayRetry?: (response: IN8nHttpFullResponse) => boolean },
): Promise<unknown> {
	const options: IHttpRequestOptions = {
		method: request.method,
		...http,
		url: request.path,
		qs: request.qs,
		body: request.body,
		json: true,
		arrayFormat: 'repeat',
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(streamed
			? { encoding: 'stream' as const, headers: { ...http.headers, Accept: 'text/event-stream' } }
			: {}),
	};
	const started = Date.now();
	const budgetEnds = started + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				LETTA_CREDENTIAL_TYPE,
				options,
				auth,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			if (mayRetryException(error, request.method) && attempt < MAX_RETRIES) {
				await sleep(backoffMs(attempt));
				continue;
			}
			const startsWork = request.method !== 'GET';
			const runId =
				startsWork && transportFailure(error) !== 'unreachable'
					? await findRun(subject)
					: undefined;
			const sent = { startsWork, timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS, runId };
			throw transportError(context.getNode(), error as Error, sent, subject, target);
		}
		if (streamed && isStreamBody(response.body)) {
			if (response.statusCode < 400) return response.body;
			const text = await readAllText(response.body);
			response = { ...response, body: parseErrorText(text) as IN8nHttpFullResponse['body'] };
		}
		if (response.statusCode < 400) return response.body as unknown;
		const retryable = streamed?.mayRetry?.(response) ?? true;
		const delay = retryable ? retryDelayMs(response, attempt) : undefined;
		if (delay !== undefined && mayResend(response, attempt, delay, budgetEnds - Date.now())) {
			await sleep(delay);
			continue;
		}
		throw apiError(context.getNode(), response, subject, target, {
			attempts: attempt + 1,
			waitedMs: Date.now() - started,
		});
	}
}
