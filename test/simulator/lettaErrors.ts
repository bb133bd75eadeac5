/**
 * Every error text and body the simulator answers on /v1 (environments excepted), written
 * as Letta's server writes them (letta-ai/letta at 56ba9c255; the README's "Error bodies"
 * table names the function for each). One place, so a wording is defined once.
 */
import { HttpError, isRecord } from './http';
import { PyTuple, pyRepr } from './pyRepr';

/** `str(LettaError)` with code CONFLICT: `"<code>: <message>"` (letta/errors.py LettaError.__str__). */
const CONFLICT = 'CONFLICT: ';

export const UNAUTHORIZED = 'Unauthorized';
export const UNKNOWN_ERROR = 'An unknown error occurred';
export const MESSAGES_EMPTY = 'Messages must not be empty';
export const STREAMING_SDK_ONLY = 'streaming=true is only supported for SDK v1.0+ clients.';
export const PENDING_APPROVAL_MESSAGE = `${CONFLICT}Cannot send a new message: The agent is waiting for approval on a tool call. Please approve or deny the pending request before continuing.`;
export const NO_PENDING_APPROVAL_MESSAGE =
	'Cannot process approval response: No tool call is currently awaiting approval. Please send a regular message to interact with the agent.';
/** What a streamed run says for an error that is not a LettaError (a ValueError, for one). */
export const STREAM_UNKNOWN_ERROR = 'An unknown error occurred with the LLM streaming request.';
/** The user message Letta injects when an approval answer was already processed. */
export const KEEP_ALIVE_TEXT =
	'<system-alert>Automated keep-alive ping. Ignore this message and continue from where you stopped.</system-alert>';

export function conversationBusyMessage(runId: string | null): string {
	return runId === null
		? `${CONFLICT}Cannot send a new message: Another request is currently being processed for this conversation. Please wait for the current request to complete.`
		: `${CONFLICT}Cannot send a new message: Another request (run_id=${runId}) is currently being processed for this conversation. Please wait for it to complete.`;
}

export function invalidToolCallIdsMessage(expected: string[], received: string[]): string {
	return `Invalid tool call IDs. Expected '${pyRepr(expected)}', but received '${pyRepr(received)}'.`;
}

export function streamingOptionsMessage(problems: string[]): string {
	return `Streaming options set without streaming enabled. ${problems.join('; ')}. Either set streaming=true or use default values for streaming options.`;
}

export const agentNotFound = (agentId: string): string => `Agent with ID ${agentId} not found`;
export const runNotFound = (runId: string): string => `Run with id ${runId} not found`;
/**
 * SqlalchemyBase.read_async's NoResultFound text. The real one ends with the actor's repr
 * (user and organization ids of the caller); the simulator has one fixed actor.
 */
export const recordNotFound = (model: 'Agent' | 'Block' | 'Conversation', id: string): string =>
	`${model} not found with id='${pyRepr([id])}', access level in ${pyRepr(['read'])} for actor='${SIMULATED_ACTOR}', is_deleted=False`;
export const conversationNotFound = (conversationId: string): string =>
	recordNotFound('Conversation', conversationId);
const SIMULATED_USER_ID = 'user-00000000-0000-4000-8000-000000000000';
const SIMULATED_ACTOR = `id='${SIMULATED_USER_ID}' organization_id='org-00000000-0000-4000-8000-000000000000'`;

/** agent_manager.get_block_with_label_async / modify_block_by_label_async. */
export const blockLabelNotFound = (label: string, agentId: string): string =>
	`No block with label '${label}' found for agent '${agentId}'`;
/** blocks.py retrieve_block. */
export const blockNotFound = (blockId: string): string => `Block with id '${blockId}' not found`;
/** agent_manager.detach_block_async: the block is not attached to the agent. */
export const blockNotAttached = (blockId: string, agentId: string): string =>
	`No block with id '${blockId}' found for agent '${agentId}' with actor id: '${SIMULATED_USER_ID}'`;
/** passage_manager.get_passage_by_id_async (what delete_passage checks first). */
export const passageNotFound = (passageId: string): string =>
	`Passage with id ${passageId} not found in database.`;
/** errors.py NoActiveRunsToCancelError, answered 409 by error_handler_with_code. */
export const noActiveRunsToCancel = (agentId: string): string =>
	`${CONFLICT}No active runs to cancel for agent ${agentId}`;

/** `{"detail": "<text>"}`: every HTTPException and every handler built on error_handler_with_code. */
export function detailError(status: number, detail: string): HttpError {
	return new HttpError(status, { detail });
}

/** A turn Letta refuses before (or, when streaming, instead of) running it. */
export type TurnRefusal =
	| { kind: 'busy'; runId: string | null }
	| { kind: 'pendingApproval'; requestId: string }
	| { kind: 'invalidToolCallIds'; expected: string[]; received: string[] }
	| { kind: 'noPendingApproval' };

/** `str(exc)` of the exception Letta raises for the refusal. */
export function refusalText(refusal: TurnRefusal): string {
	switch (refusal.kind) {
		case 'busy':
			return conversationBusyMessage(refusal.runId);
		case 'pendingApproval':
			return PENDING_APPROVAL_MESSAGE;
		case 'invalidToolCallIds':
			return invalidToolCallIdsMessage(refusal.expected, refusal.received);
		case 'noPendingApproval':
			return NO_PENDING_APPROVAL_MESSAGE;
	}
}

/**
 * The JSON answer to a refusal. `pendingApprovalAsObject`: the agent endpoint's plain path
 * catches PendingApprovalError itself and raises HTTPException with an object detail.
 */
export function refusalHttpError(
	refusal: TurnRefusal,
	pendingApprovalAsObject: boolean,
): HttpError {
	const text = refusalText(refusal);
	switch (refusal.kind) {
		case 'busy':
			return new HttpError(
				409,
				refusal.runId === null ? { detail: text } : { detail: text, run_id: refusal.runId },
			);
		case 'pendingApproval':
			return pendingApprovalAsObject
				? new HttpError(409, {
						detail: {
							code: 'PENDING_APPROVAL',
							message: text,
							pending_request_id: refusal.requestId,
						},
					})
				: detailError(409, text);
		case 'invalidToolCallIds':
		case 'noPendingApproval':
			return detailError(400, text);
	}
}

/**
 * The `event: error` payload of a streamed run whose agent loop raised before its first
 * chunk (StreamingService._create_error_aware_stream): a LettaError keeps its text, a
 * ValueError gets the generic message with the text in `detail`.
 */
export function refusalStreamError(refusal: TurnRefusal, runId: string) {
	const text = refusalText(refusal);
	return {
		message_type: 'error_message' as const,
		run_id: runId,
		error_type: 'internal_error',
		message: refusal.kind === 'pendingApproval' ? text : STREAM_UNKNOWN_ERROR,
		detail: text,
		seq_id: null,
	};
}

/** One pydantic error, as FastAPI's RequestValidationError.errors() lists it. */
export interface ValidationIssue {
	type: string;
	loc: Array<string | number>;
	msg: string;
	input?: unknown;
	ctx?: Record<string, unknown>;
}

/**
 * 422 as app.py custom_request_validation_handler writes it: `detail` is repr() of the
 * error list (a string), `trace_id` is empty without tracing, `examples` only for a
 * malformed path id.
 */
export function requestValidationBody(
	issues: ValidationIssue[],
	examples: string[] = [],
): Record<string, unknown> {
	const errors = issues.map((issue) => ({
		type: issue.type,
		loc: new PyTuple(issue.loc),
		msg: issue.msg,
		input: issue.input ?? null,
		...(issue.ctx ? { ctx: issue.ctx } : {}),
	}));
	return {
		trace_id: '',
		detail: pyRepr(errors),
		...(examples.length > 0 ? { examples: [...new Set(examples)].sort() } : {}),
	};
}

export function validationError(issues: ValidationIssue[]): HttpError {
	return new HttpError(422, requestValidationBody(issues));
}

/** A JSON body FastAPI reads into a model: anything but an object is 422 `dict_type`. */
export function requireBodyObject(body: unknown): Record<string, unknown> {
	if (isRecord(body)) return body;
	throw validationError([
		{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type', input: body },
	]);
}
/** settings.redis_host / redis_port as a server without Redis prints them (settings.py defaults). */
const REDIS_SETTINGS_TEXT = 'LETTA_REDIS_HOST: None, LETTA_REDIS_PORT: 6379';
/** runs.py / conversations.py stream routes (HTTPException: no error-code prefix). */
export const REDIS_REQUIRED = `Background streaming requires Redis to be running. Please ensure Redis is properly configured. ${REDIS_SETTINGS_TEXT}`;
/** streaming_service.py create_agent_stream: LettaServiceUnavailableError, str() adds its code. */
export const REDIS_REQUIRED_FOR_BACKGROUND = `INTERNAL_SERVER_ERROR: ${REDIS_REQUIRED}`;
const INVALID_ARGUMENT = 'INVALID_ARGUMENT: ';
export const RUN_NOT_BACKGROUND = `${INVALID_ARGUMENT}Run was not created in background mode, so it cannot be retrieved.`;
export const NO_ACTIVE_RUNS = `${INVALID_ARGUMENT}No active runs found for this conversation.`;
export const RUN_STREAM_EXPIRED =
	'EXPIRED: Run was created more than 3 hours ago, and is now expired.';
export const noRunForOtid = (otid: string): string =>
	`No run found for otid=${otid}. The run may have expired or never existed.`;
/** run_manager.py _dispatch_callback_async: `{e!r}` of httpx's exception. */
export const callbackFailed = (runId: string, url: string, errorRepr: string): string =>
	`Failed to dispatch callback for run ${runId} to ${url}: ${errorRepr}`;
