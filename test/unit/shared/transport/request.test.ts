import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { agentIdFromUrl, isAgentId, isConversationId } from '../../../../nodes/shared/api/ids';
import {
	approvalRefusal,
	conflictKind,
	errorDetail,
	isUnknownRoute,
	readErrorBody,
} from '../../../../nodes/shared/transport/errorBody';
import { PyRaw, PyTuple, pyRepr } from '../../../simulator/pyRepr';
import { normalizeBaseUrl } from '../../../../nodes/shared/transport/request';
import { retryAfterMs, retryDelayMs } from '../../../../nodes/shared/transport/retry';

const BUSY =
	'CONFLICT: Cannot send a new message: Another request (run_id=run-7) is currently being processed for this conversation. Please wait for it to complete.';
const BUSY_NO_RUN =
	'CONFLICT: Cannot send a new message: Another request is currently being processed for this conversation. Please wait for the current request to complete.';
const PENDING =
	'CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. Please approve or deny the pending request before continuing.';
const PENDING_OBJECT = {
	detail: { code: 'PENDING_APPROVAL', message: PENDING, pending_request_id: 'message-42' },
};

const response = (
	statusCode: number,
	body: IN8nHttpFullResponse['body'],
	headers: Record<string, string> = {},
): IN8nHttpFullResponse => ({
	statusCode,
	body,
	headers,
});

describe('normalizeBaseUrl', () => {
	it.each([
		['https://api.letta.com', 'https://api.letta.com'],
		['https://api.letta.com/', 'https://api.letta.com'],
		['https://api.letta.com/v1', 'https://api.letta.com'],
		[' http://localhost:8283/v1/ ', 'http://localhost:8283'],
	])('%s -> %s', (raw, expected) => {
		expect(normalizeBaseUrl(raw)).toBe(expected);
	});
});

describe('retry decisions', () => {
	it('retries 429 and 503 honouring Retry-After, but not quota 429s', () => {
		expect(retryDelayMs(response(429, { detail: 'RATE_LIMITED' }, { 'retry-after': '2' }), 0)).toBe(
			2000,
		);
		expect(retryDelayMs(response(503, { detail: 'overloaded' }), 1)).toBe(1000);
		expect(
			retryDelayMs(response(429, { detail: 'exceeded-quota for this month' }), 0),
		).toBeUndefined();
	});

	it("retries a busy conversation (Letta's words) but never a pending approval or a server error", () => {
		expect(retryDelayMs(response(409, { detail: BUSY, run_id: 'run-7' }), 0)).toBe(500);
		expect(retryDelayMs(response(409, { detail: BUSY_NO_RUN }), 1)).toBe(1000);
		// A code word alone is not Letta's: it never reaches the client.
		expect(retryDelayMs(response(409, { detail: 'CONVERSATION_BUSY' }), 0)).toBeUndefined();
		expect(retryDelayMs(response(409, { detail: PENDING }), 0)).toBeUndefined();
		expect(retryDelayMs(response(409, PENDING_OBJECT), 0)).toBeUndefined();
		expect(retryDelayMs(response(500, { detail: 'boom' }), 0)).toBeUndefined();
		expect(retryDelayMs(response(504, { detail: 'LLM timeout' }), 0)).toBeUndefined();
	});

	it('reads retry-after-ms before Retry-After and caps long waits', () => {
		expect(retryAfterMs(response(429, {}, { 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(
			250,
		);
		expect(retryAfterMs(response(429, {}, { 'retry-after': '3600' }))).toBe(60_000);
	});
});

describe('readErrorBody', () => {
	it('tells the two 409s apart by their words, with the run or the pending request', () => {
		expect(conflictKind(errorDetail({ detail: BUSY }))).toBe('busy');
		expect(readErrorBody({ detail: BUSY, run_id: 'run-7' }).runId).toBe('run-7');
		expect(readErrorBody({ detail: BUSY }).runId).toBe('run-7');
		expect(readErrorBody({ detail: BUSY_NO_RUN }).runId).toBeUndefined();
		expect(conflictKind(errorDetail(PENDING_OBJECT))).toBe('pendingApproval');
		expect(readErrorBody(PENDING_OBJECT)).toMatchObject({
			detail: PENDING,
			pendingRequestId: 'message-42',
		});
		expect(conflictKind('CONFLICT: Cannot modify memory: Another operation is in progress')).toBe(
			'other',
		);
	});

	it('never writes the environment code twice', () => {
		expect(errorDetail({ errorCode: 'CONFLICT', message: BUSY })).toBe(BUSY);
		expect(errorDetail({ errorCode: 'OFFLINE', message: 'device offline' })).toBe(
			'OFFLINE: device offline',
		);
	});

	it("reads a 422's Python repr as one line per problem", () => {
		const detail = pyRepr([
			{
				type: 'missing',
				loc: new PyTuple(['body', 'messages', 0, 'MessageCreate', 'content']),
				msg: 'Field required',
				input: { role: 'user', contnet: 'hi' },
			},
			{
				type: 'extra_forbidden',
				loc: new PyTuple(['body', 'messages', 0, 'MessageCreate', 'contnet']),
				msg: 'Extra inputs are not permitted',
				input: 'hi',
			},
			{
				type: 'value_error',
				loc: new PyTuple(['body']),
				msg: "Value error, Must specify either 'input' or 'messages'.",
				input: {},
				ctx: { error: new PyRaw("ValueError(\"Must specify either 'input' or 'messages'.\")") },
			},
			{
				type: 'int_parsing',
				loc: new PyTuple(['query', 'limit']),
				msg: "It's not an int",
				input: 'x',
			},
		]);
		const facts = readErrorBody({ trace_id: '', detail });
		expect(facts.problems).toEqual([
			'messages.0.content: Field required',
			'messages.0.contnet: Extra inputs are not permitted',
			"request body: Value error, Must specify either 'input' or 'messages'.",
			"limit (query parameter): It's not an int",
		]);
		expect(readErrorBody({ detail: 'Messages must not be empty' })).toMatchObject({
			detail: 'Messages must not be empty',
			problems: [],
		});
	});

	it('reads the approval 400s', () => {
		expect(
			approvalRefusal(
				"Invalid tool call IDs. Expected '['call_a', 'call_b']', but received '['call_a']'.",
			),
		).toEqual({ kind: 'toolCallIds', expected: ['call_a', 'call_b'], received: ['call_a'] });
		expect(
			approvalRefusal(
				'Cannot process approval response: No tool call is currently awaiting approval. Please send a regular message to interact with the agent.',
			),
		).toEqual({ kind: 'nothingPending' });
	});

	it("knows a 404 that is not Letta's", () => {
		expect(isUnknownRoute(readErrorBody({ detail: 'Agent with ID agent-1 not found' }))).toBe(
			false,
		);
		expect(isUnknownRoute(readErrorBody({ errorCode: 'CONNECTION_NOT_FOUND', message: 'x' }))).toBe(
			false,
		);
		expect(isUnknownRoute(readErrorBody('<html>Cannot POST /letta/v1/agents</html>'))).toBe(true);
		expect(isUnknownRoute(readErrorBody({ detail: 'Not Found' }))).toBe(true);
		expect(isUnknownRoute(readErrorBody({ title: 'Route not resolved', status: 404 }))).toBe(true);
	});
});

describe('errorDetail', () => {
	it('reads detail strings, validation lists and environment errors', () => {
		expect(errorDetail({ detail: 'NOT_FOUND: agent' })).toBe('NOT_FOUND: agent');
		expect(errorDetail({ detail: [{ loc: ['body', 'max_steps'], msg: 'not an int' }] })).toBe(
			'max_steps: not an int',
		);
		expect(errorDetail({ errorCode: 'OFFLINE', message: 'device offline' })).toBe(
			'OFFLINE: device offline',
		);
	});
});

describe('ids', () => {
	const agentId = 'agent-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
	it('checks agent and conversation ids', () => {
		expect(isAgentId(agentId)).toBe(true);
		expect(isAgentId('agent-123')).toBe(false);
		expect(isConversationId('conv-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')).toBe(true);
	});

	it('takes the agent id out of web-app URLs, with or without a project path', () => {
		expect(agentIdFromUrl(`https://app.letta.com/agents/${agentId}`)).toBe(agentId);
		expect(
			agentIdFromUrl(`https://app.letta.com/projects/default/agents/${agentId}?tab=memory`),
		).toBe(agentId);
		expect(agentIdFromUrl('https://app.letta.com/agents/nope')).toBeUndefined();
	});
});
