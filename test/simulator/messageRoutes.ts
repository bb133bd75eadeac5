/**
 * Sending to and reading from a conversation, shared by the agent endpoints
 * (`/v1/agents/{agent_id}/messages`, default conversation) and the conversation endpoints.
 */
import type { SimulatorContext } from './context';
import { filterResponse, prepareTurn } from './conversationTurn';
import {
	agentNotFound,
	detailError,
	refusalHttpError,
	STREAMING_SDK_ONLY,
	validationError,
} from './lettaErrors';
import { sendInBackground } from './backgroundStreams';
import { paginate, queryEnum, queryInteger, queryList, queryString } from './query';
import type { SendRequest } from './requestBody';
import type { HandlerResult, RequestContext } from './router';
import { streamTurn } from './sse';
import { MESSAGE_TYPES, type AgentRecord, type MessageType, type Scope } from './types';

/**
 * The agent endpoint's streaming gate, utils.py is_1_0_sdk_version: an
 * X-Stainless-Package-Version header, no User-Agent at all, or a User-Agent that is exactly
 * `@letta-ai/letta-client/1.x` or `letta-client/1.x`.
 */
export function isLettaV1Client(headers: RequestContext['req']['headers']): boolean {
	if (headers['x-stainless-package-version']) return true;
	const userAgent = headers['user-agent'];
	if (!userAgent) return true;
	const parts = userAgent.split('/');
	const named =
		parts.length === 3
			? parts[0] === '@letta-ai' && parts[1] === 'letta-client'
			: parts.length === 2 && parts[0] === 'letta-client';
	const version = parts[parts.length - 1];
	if (!named || !version.includes('.')) return false;
	const base = version.split('-')[0].split('a')[0].split('b')[0];
	return base.includes('.') && base.split('.')[0] === '1';
}

/** Which endpoint sends, which decides the lock and how a refusal is answered. */
export type SendEndpoint = 'agent' | 'conversation' | 'agentDirect';

export async function sendToScope(
	ctx: SimulatorContext,
	rc: RequestContext,
	agent: AgentRecord,
	scope: Scope,
	endpoint: SendEndpoint,
	request: SendRequest,
): Promise<HandlerResult> {
	const { payload, options } = request;
	if (endpoint === 'agent' && options.streaming && !isLettaV1Client(rc.req.headers))
		throw detailError(422, STREAMING_SDK_ONLY);
	if (options.streaming && options.background)
		return sendInBackground(ctx, rc, agent, scope, endpoint, request);
	// Locks live in Redis: a server without it takes none (streaming_service.py, conversations.py).
	const lock =
		ctx.longRuns.settings.redis &&
		(endpoint === 'agentDirect' || (endpoint === 'conversation' && options.streaming));
	const prepared = prepareTurn(ctx, agent, scope, payload, options, {
		lock,
		requestSequence: rc.requestSequence,
	});
	// The lock is taken before the stream starts: busy is a JSON 409 on every path.
	if (prepared.kind === 'refused' && prepared.refusal.kind === 'busy')
		throw refusalHttpError(prepared.refusal, false);
	if (options.streaming) {
		await streamTurn(ctx, rc.res, prepared, options, scope);
		return 'handled';
	}
	if (prepared.kind === 'refused') {
		// The agent endpoint created its run before the agent loop refused, and marks it failed.
		if (endpoint === 'agent') ctx.store.failRun(ctx.store.createRun(scope), null);
		throw refusalHttpError(prepared.refusal, endpoint === 'agent');
	}
	const response = await prepared.execute();
	return { body: filterResponse(response, options.includeReturnMessageTypes) };
}

export function listScopeMessages(
	ctx: SimulatorContext,
	rc: RequestContext,
	scope: Scope,
): HandlerResult {
	const limit = queryInteger(rc.query, 'limit', 100, 1);
	const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
	const types = queryList(rc.query, 'include_return_message_types');
	const unknownType = types.find((type) => !MESSAGE_TYPES.includes(type as MessageType));
	if (unknownType !== undefined) {
		throw validationError([
			{
				loc: ['query', 'include_return_message_types'],
				msg: `Unknown message type '${unknownType}'`,
				type: 'enum',
			},
		]);
	}
	const history = ctx.store
		.getHistory(scope)
		.filter((message) => types.length === 0 || types.includes(message.message_type));
	const sorted = order === 'asc' ? [...history] : [...history].reverse();
	return {
		body: paginate(sorted, queryString(rc.query, 'after'), queryString(rc.query, 'before'), limit),
	};
}

export function requireAgent(ctx: SimulatorContext, agentId: string): AgentRecord {
	const agent = ctx.store.agents.get(agentId);
	if (!agent) throw detailError(404, agentNotFound(agentId));
	return agent;
}
