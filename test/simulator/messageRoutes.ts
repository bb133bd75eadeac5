/**
 * Sending to and reading from a conversation, shared by the agent endpoints
 * (`/v1/agents/{agent_id}/messages`, default conversation) and the conversation endpoints.
 */
import type { SimulatorContext } from './context';
import { filterResponse, prepareTurn } from './conversationTurn';
import { detailError, validationError } from './http';
import { paginate, queryEnum, queryInteger, queryList, queryString } from './query';
import type { SendRequest } from './requestBody';
import type { HandlerResult, RequestContext } from './router';
import { streamTurn } from './sse';
import { MESSAGE_TYPES, type AgentRecord, type MessageType, type Scope } from './types';

/** Letta refuses streaming to plain HTTP clients: only its SDKs may ask for a stream here. */
function isLettaSdkRequest(rc: RequestContext): boolean {
	const userAgent = rc.req.headers['user-agent'] ?? '';
	return rc.req.headers['x-stainless-package-version'] !== undefined || /letta/i.test(userAgent);
}

export async function sendToScope(
	ctx: SimulatorContext,
	rc: RequestContext,
	agent: AgentRecord,
	scope: Scope,
	endpoint: 'agent' | 'conversation',
	request: SendRequest,
): Promise<HandlerResult> {
	const { payload, options } = request;
	if (endpoint === 'agent' && options.streaming && !isLettaSdkRequest(rc)) {
		throw validationError([
			{
				loc: ['body', 'streaming'],
				msg: 'Streaming is only available to Letta SDK clients (X-Stainless-Package-Version header); send streaming: false for a JSON response.',
				type: 'value_error',
			},
		]);
	}
	const prepared = prepareTurn(ctx, agent, scope, payload, options);
	if (options.streaming) {
		await streamTurn(ctx, rc.res, prepared, options);
		return 'handled';
	}
	const response = prepared.kind === 'run' ? await prepared.execute() : prepared.response;
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
	if (!agent) throw detailError(404, `NOT_FOUND: Agent ${agentId} not found`);
	return agent;
}
