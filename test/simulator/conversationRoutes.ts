/** `/v1/conversations/...`: listing, creating, and sending to / reading a conversation. */
import type { SimulatorContext } from './context';
import { detailError, isRecord, validationError } from './http';
import { listScopeMessages, requireAgent, sendToScope } from './messageRoutes';
import { paginate, queryEnum, queryInteger, queryString } from './query';
import { parseSendRequest } from './requestBody';
import type { RequestContext, Router } from './router';
import type { AgentRecord, Scope } from './types';
import { toConversation } from './views';

/**
 * The path id is a conversation id, `default` (agent-direct mode, agent_id given separately)
 * or, deprecated, an agent id meaning that agent's default conversation.
 */
function resolveConversation(
	ctx: SimulatorContext,
	conversationId: string,
	agentId: string | null,
	agentIdLocation: 'body' | 'query',
): { agent: AgentRecord; scope: Scope } {
	if (conversationId === 'default') {
		if (agentId === null) {
			throw validationError([
				{
					loc: [agentIdLocation, 'agent_id'],
					msg: "agent_id is required when the conversation is 'default'",
					type: 'missing',
				},
			]);
		}
		const agent = requireAgent(ctx, agentId);
		return { agent, scope: { agentId: agent.id, conversationId: null } };
	}
	if (conversationId.startsWith('agent-')) {
		const agent = requireAgent(ctx, conversationId);
		return { agent, scope: { agentId: agent.id, conversationId: null } };
	}
	const conversation = ctx.store.conversations.get(conversationId);
	if (!conversation) throw detailError(404, `NOT_FOUND: Conversation ${conversationId} not found`);
	if (agentId !== null && agentId !== conversation.agentId) {
		throw detailError(
			400,
			`BAD_REQUEST: conversation ${conversationId} belongs to agent ${conversation.agentId}, not ${agentId}`,
		);
	}
	return {
		agent: requireAgent(ctx, conversation.agentId),
		scope: { agentId: conversation.agentId, conversationId },
	};
}

export function registerConversationRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	router.add('GET', '/v1/conversations/', (rc) => {
		const agentId = queryString(rc.query, 'agent_id');
		const limit = queryInteger(rc.query, 'limit', 50, 1);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
		const search = queryString(rc.query, 'summary_search')?.toLowerCase() ?? null;
		const matching = [...store.conversations.values()]
			.filter((conversation) => agentId === null || conversation.agentId === agentId)
			.filter(
				(conversation) =>
					search === null || (conversation.summary ?? '').toLowerCase().includes(search),
			)
			.sort((a, b) => a.sequence - b.sequence);
		if (order === 'desc') matching.reverse();
		return {
			body: paginate(matching, queryString(rc.query, 'after'), null, limit).map(toConversation),
		};
	});

	router.add('POST', '/v1/conversations/', (rc: RequestContext) => {
		const agentId = queryString(rc.query, 'agent_id');
		if (agentId === null)
			throw validationError([
				{ loc: ['query', 'agent_id'], msg: 'Field required', type: 'missing' },
			]);
		const agent = requireAgent(ctx, agentId);
		const body = rc.body === undefined ? {} : rc.body;
		if (!isRecord(body))
			throw validationError([
				{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' },
			]);
		const now = new Date().toISOString();
		const conversation = {
			id: store.ids.prefixed('conv'),
			agentId: agent.id,
			summary: typeof body.summary === 'string' ? body.summary : null,
			createdAt: now,
			updatedAt: now,
			lastMessageAt: null,
			sequence: store.nextSequence(),
		};
		store.conversations.set(conversation.id, conversation);
		return { body: toConversation(conversation) };
	});

	router.add('POST', '/v1/conversations/{conversation_id}/messages', async (rc) => {
		const request = parseSendRequest(rc.body, 'conversation');
		const { agent, scope } = resolveConversation(
			ctx,
			rc.params.conversation_id,
			request.agentId,
			'body',
		);
		return sendToScope(ctx, rc, agent, scope, 'conversation', request);
	});

	router.add('GET', '/v1/conversations/{conversation_id}/messages', (rc) => {
		const { scope } = resolveConversation(
			ctx,
			rc.params.conversation_id,
			queryString(rc.query, 'agent_id'),
			'query',
		);
		return listScopeMessages(ctx, rc, scope);
	});
}
