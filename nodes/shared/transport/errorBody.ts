import { parsePythonRepr, type PyValue } from './pythonRepr';

/**
 * Reading Letta's error bodies (letta/server/rest_api/app.py at letta-ai/letta 56ba9c255):
 * `{"detail": "<text>"}`, with a top-level `run_id` on a busy 409; an object detail
 * `{code, message, pending_request_id}` for a pending approval on the agent endpoint; a 422
 * whose `detail` is the Python repr of pydantic's error list; and the environments API's
 * `{errorCode, message}`. Texts are told apart by Letta's words, never by a code: the body
 * carries none.
 */

export interface ErrorFacts {
	/** The text a user can read: Letta's detail or message, or the validation problems joined. */
	detail: string;
	/** A validation error's problems, one `field.path: problem` each. */
	problems: string[];
	/** The run named by the error (the run holding a busy conversation). */
	runId?: string;
	/** The approval request a pending-approval 409 names. */
	pendingRequestId?: string;
	/** JSON in one of Letta's error shapes; an HTML page or another server's JSON is not. */
	fromLetta: boolean;
}

/** The top-level keys of Letta's `detail` bodies; another server's JSON (a proxy's problem+json) has others. */
const LETTA_DETAIL_KEYS = new Set(['detail', 'trace_id', 'run_id', 'examples']);

/** FastAPI's answer for a path it has no route for: what Letta says behind a wrong base URL. */
const UNKNOWN_ROUTE_DETAIL = 'Not Found';

/** Busy: `Another request (run_id=run-…) is currently being processed for this conversation.` */
const BUSY_TEXT = /Another request/i;
/** Pending approval: `The agent is waiting for approval on a tool call.` */
const PENDING_APPROVAL_TEXT = /waiting for approval/i;
const RUN_ID_IN_TEXT = /run_id=(run-[\w-]+)/;

/** Pydantic's loc starts with where the value was (body, query, path); union members are tags. */
const LOCATION_WORDS = new Set(['body', 'query', 'path', 'header']);
const isUnionTag = (part: PyValue) =>
	typeof part === 'string' && (/^[A-Z]/.test(part) || /[[(]/.test(part));

function describeLocation(loc: PyValue): string {
	const parts = Array.isArray(loc) ? loc : [loc];
	const where = typeof parts[0] === 'string' && LOCATION_WORDS.has(parts[0]) ? parts[0] : 'body';
	const field = parts
		.slice(LOCATION_WORDS.has(String(parts[0])) ? 1 : 0)
		.filter((part) => !isUnionTag(part))
		.map(String)
		.join('.');
	if (!field) return 'request body';
	return where === 'body' ? field : `${field} (${where} parameter)`;
}

/**
 * The problems of a 422 whose detail is repr() of pydantic's error list, one
 * `field.path: problem` each; undefined when the text is not such a list.
 */
export function validationProblems(detail: string): string[] | undefined {
	if (!detail.trimStart().startsWith('[')) return undefined;
	const errors = parsePythonRepr(detail);
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	const lines: string[] = [];
	for (const error of errors) {
		if (!error || typeof error !== 'object' || Array.isArray(error)) return undefined;
		const line = `${describeLocation(error.loc ?? null)}: ${String(error.msg ?? 'invalid')}`;
		if (!lines.includes(line)) lines.push(line);
	}
	return lines;
}

function listProblems(detail: unknown[]): string[] {
	return detail.map((entry) => {
		const { loc, msg } = (entry ?? {}) as { loc?: PyValue; msg?: unknown };
		return loc === undefined ? String(msg ?? '') : `${describeLocation(loc)}: ${String(msg ?? '')}`;
	});
}

export function readErrorBody(body: unknown): ErrorFacts {
	if (typeof body === 'string') return { detail: body, problems: [], fromLetta: false };
	if (!body || typeof body !== 'object') return { detail: '', problems: [], fromLetta: false };
	const { detail, message, errorCode, run_id: runId } = body as Record<string, unknown>;
	const detailShape = Object.keys(body).every((key) => LETTA_DETAIL_KEYS.has(key));
	const facts = (text: string, extra: Partial<ErrorFacts> = {}): ErrorFacts => ({
		detail: text,
		problems: [],
		fromLetta: detail === undefined || detailShape,
		...(typeof runId === 'string' ? { runId } : {}),
		...extra,
	});
	if (typeof detail === 'string') {
		const problems = validationProblems(detail);
		if (problems) return facts(problems.join('; '), { problems });
		return facts(detail, {
			runId: typeof runId === 'string' ? runId : RUN_ID_IN_TEXT.exec(detail)?.[1],
		});
	}
	if (Array.isArray(detail)) {
		const problems = listProblems(detail);
		return facts(problems.join('; '), { problems });
	}
	if (detail && typeof detail === 'object') {
		const inner = detail as Record<string, unknown>;
		const text = typeof inner.message === 'string' ? inner.message : JSON.stringify(detail);
		const pending = inner.pending_request_id;
		return facts(text, typeof pending === 'string' ? { pendingRequestId: pending } : {});
	}
	if (typeof message === 'string') {
		// The environments API may already start its message with the code: never "CODE: CODE: …".
		const code = typeof errorCode === 'string' ? errorCode : '';
		const text = code && !message.startsWith(code) ? `${code}: ${message}` : message;
		return facts(text, { runId: RUN_ID_IN_TEXT.exec(message)?.[1] });
	}
	return { detail: JSON.stringify(body), problems: [], fromLetta: false };
}

/** The readable text of an error body. */
export function errorDetail(body: unknown): string {
	return readErrorBody(body).detail;
}

export type ConflictKind = 'busy' | 'pendingApproval' | 'other';

/** Which 409 Letta sent, by its words: busy (retry later) or a pending approval (answer it). */
export function conflictKind(detail: string): ConflictKind {
	if (BUSY_TEXT.test(detail)) return 'busy';
	if (PENDING_APPROVAL_TEXT.test(detail)) return 'pendingApproval';
	return 'other';
}

/** A 404 Letta did not write about a resource: no route there, so the base URL is wrong. */
export function isUnknownRoute(facts: ErrorFacts): boolean {
	return !facts.fromLetta || facts.detail === UNKNOWN_ROUTE_DETAIL;
}

/** Letta's approval 400s, by their words (letta/agents/helpers.py). */
export type ApprovalRefusal =
	| { kind: 'toolCallIds'; expected: string[]; received: string[] }
	| { kind: 'nothingPending' };

const INVALID_TOOL_CALL_IDS = /Invalid tool call IDs\. Expected '(.*)', but received '(.*)'\.?$/s;
const NOTHING_PENDING = /No tool call is currently awaiting approval/i;

function idList(repr: string): string[] {
	const value = parsePythonRepr(repr);
	return Array.isArray(value) ? value.map(String) : [repr];
}

export function approvalRefusal(detail: string): ApprovalRefusal | undefined {
	const ids = INVALID_TOOL_CALL_IDS.exec(detail);
	if (ids) return { kind: 'toolCallIds', expected: idList(ids[1]), received: idList(ids[2]) };
	if (NOTHING_PENDING.test(detail)) return { kind: 'nothingPending' };
	return undefined;
}

/** The low-level code of a failure with no HTTP answer (`ECONNREFUSED`, `ETIMEDOUT`, ...). */
export function errorCode(error: unknown): string | undefined {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}
