import type { IN8nHttpFullResponse } from 'n8n-workflow';

import { agentIdFromUrl, isAgentId, isConversationId } from '../../../../nodes/shared/api/ids';
import { errorDetail } from '../../../../nodes/shared/transport/errorBody';
import { normalizeBaseUrl } from '../../../../nodes/shared/transport/request';
import { retryAfterMs, retryDelayMs } from '../../../../nodes/shared/transport/retry';

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

	it('retries a busy conversation but never a pending approval or a server error', () => {
		expect(retryDelayMs(response(409, { detail: 'CONVERSATION_BUSY: another request' }), 0)).toBe(
			500,
		);
		expect(
			retryDelayMs(response(409, { detail: 'CONFLICT: waiting for approval' }), 0),
		).toBeUndefined();
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

describe('errorDetail', () => {
	it('reads detail strings, validation lists and environment errors', () => {
		expect(errorDetail({ detail: 'NOT_FOUND: agent' })).toBe('NOT_FOUND: agent');
		expect(errorDetail({ detail: [{ loc: ['body', 'max_steps'], msg: 'not an int' }] })).toBe(
			'body.max_steps: not an int',
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
