/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Letta Cloud environments: connections of Letta Code listeners. Sending is fire-and-forget:
 * the POST answers `{success, message}` at once and the agent's reply lands in the
 * conversation a moment later, to be read from the messages endpoints.
 * Errors use the environments API's own body, `{errorCode, message}`.
 */
import type { SimulatorContext } from './context';
import { prepareTurn } from './conversationTurn';
import { HttpError, isRecord } from './http';
import { refusalText, type TurnRefusal } from './lettaErrors';
import { paginate } from './query';
import { parseSendRequest, type SendRequest } from './requestBody';
import type { RequestContext, Router } from './router';
import type { EnvironmentRecord, Scope } from './types';
import { isEnvironmentOnline, toEnvironmentConnection } from './views';

export function environmentError(status: number, errorCode: string, message: string): HttpError {
	return new HttpError(status, { errorCode, message });
}

/**
 * The environments API's body for a refused turn. Letta Cloud's environment service is
 * closed source: the simulator keeps its `{errorCode, message}` shape with Letta's texts,
 * and names the code after Letta's ErrorCode (CONFLICT) or this API's 400 (BAD_REQUEST).
 */
function refusalEnvironmentError(refusal: TurnRefusal): HttpError {
	const message = refusalText(refusal);
	switch (refusal.kind) {
		case 'busy':
		case 'pendingApproval':
			return environmentError(409, 'CONFLICT', message);
		case 'invalidToolCallIds':
		case 'noPendingApproval':
			return environmentError(400, 'BAD_REQUEST', message);
	}
}

/** The shared parser answers 422 in Letta's shape; this API answers 400 {errorCode, message}. */
function parseErrorMessage(error: unknown): string {
	if (!(error instanceof HttpError) || !isRecord(error.body)) return String(error);
	const detail = error.body.detail;
	return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

function findByConnectionId(ctx: SimulatorContext, connectionId: string): EnvironmentRecord {
	const environments = [...ctx.store.environments.values()];
	const live = environments.find((environment) => environment.connectionId === connectionId);
	const stale = environments.find((environment) =>
		environment.staleConnectionIds.includes(connectionId),
	);
	const environment = live ?? stale;
	if (!environment) {
		throw environmentError(
			404,
			'CONNECTION_NOT_FOUND',
			`No environment connection ${connectionId}. List connections with GET /v1/environments.`,
		);
	}
	if (!live || !isEnvironmentOnline(environment)) {
		throw environmentError(
			503,
			'ENVIRONMENT_OFFLINE',
			`Environment ${environment.connectionName} (${connectionId}) is offline: no live Letta Code session with a heartbeat in the last 120 s. Start Letta Code on the device, then use its new connectionId.`,
		);
	}
	return environment;
}

/** The environments body is camelCase around snake_case messages; map it onto the shared parser. */
function parseEnvironmentBody(body: unknown): {
	request: SendRequest;
	agentId: string | null;
	conversationId: string | null;
} {
	if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) {
		throw environmentError(
			400,
			'BAD_REQUEST',
			'Body must be {messages: [...], agentId?, conversationId?} with at least one message.',
		);
	}
	const messages: unknown[] = body.messages;
	for (const [index, message] of messages.entries()) {
		if (
			isRecord(message) &&
			message.role === 'user' &&
			typeof message.client_message_id !== 'string'
		) {
			throw environmentError(
				400,
				'BAD_REQUEST',
				`messages[${index}].client_message_id is required (a string the client picks).`,
			);
		}
	}
	if (body.agentId !== undefined && typeof body.agentId !== 'string')
		throw environmentError(400, 'BAD_REQUEST', 'agentId must be a string.');
	if (
		body.conversationId !== undefined &&
		body.conversationId !== null &&
		typeof body.conversationId !== 'string'
	) {
		throw environmentError(400, 'BAD_REQUEST', 'conversationId must be a string or null.');
	}
	const userMessages = messages.map((message) =>
		isRecord(message) && message.type !== 'approval'
			? { role: message.role, content: message.content, otid: message.otid }
			: message,
	);
	let request: SendRequest;
	try {
		request = parseSendRequest({ messages: userMessages, streaming: false }, 'agent');
	} catch (error) {
		throw environmentError(400, 'BAD_REQUEST', parseErrorMessage(error));
	}
	return {
		request,
		agentId: typeof body.agentId === 'string' ? body.agentId : null,
		conversationId:
			typeof body.conversationId === 'string' && body.conversationId !== 'default'
				? body.conversationId
				: null,
	};
}

function resolveScope(
	ctx: SimulatorContext,
	environment: EnvironmentRecord,
	agentId: string | null,
	conversationId: string | null,
): Scope {
	const { store } = ctx;
	if (conversationId !== null) {
		const conversation = store.conversations.get(conversationId);
		if (!conversation)
			throw environmentError(
				404,
				'CONVERSATION_NOT_FOUND',
				`Conversation ${conversationId} not found.`,
			);
		if (agentId !== null && conversation.agentId !== agentId) {
			throw environmentError(
				400,
				'BAD_REQUEST',
				`Conversation ${conversationId} belongs to agent ${conversation.agentId}, not ${agentId}.`,
			);
		}
		return { agentId: conversation.agentId, conversationId };
	}
	const resolvedAgentId = agentId ?? environment.defaultAgentId;
	if (!store.agents.has(resolvedAgentId))
		throw environmentError(404, 'AGENT_NOT_FOUND', `Agent ${resolvedAgentId} not found.`);
	return { agentId: resolvedAgentId, conversationId: null };
}

export function registerEnvironmentRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	router.add('GET', '/v1/environments', (rc: RequestContext) => {
		const limitText = rc.query.get('limit');
		const limit = limitText === null ? 50 : Number(limitText);
		if (!Number.isInteger(limit) || limit < 1)
			throw environmentError(400, 'BAD_REQUEST', 'limit must be a positive integer.');
		const onlineOnly = rc.query.get('onlineOnly') === 'true';
		const all = [...store.environments.values()].filter(
			(environment) => !onlineOnly || isEnvironmentOnline(environment),
		);
		const afterPage = paginate(all, rc.query.get('after'), null, Number.MAX_SAFE_INTEGER);
		const now = Date.now();
		return {
			body: {
				connections: afterPage
					.slice(0, limit)
					.map((environment) => toEnvironmentConnection(environment, now)),
				hasNextPage: afterPage.length > limit,
			},
		};
	});

	router.add('GET', '/v1/environments/{deviceId}', (rc) => {
		const environment = [...store.environments.values()].find(
			(candidate) => candidate.deviceId === rc.params.deviceId,
		);
		if (!environment)
			throw environmentError(404, 'NOT_FOUND', `No environment for device ${rc.params.deviceId}.`);
		return { body: toEnvironmentConnection(environment, Date.now()) };
	});

	router.add('POST', '/v1/environments/{connectionId}/messages', (rc) => {
		const environment = findByConnectionId(ctx, rc.params.connectionId);
		const { request, agentId, conversationId } = parseEnvironmentBody(rc.body);
		const scope = resolveScope(ctx, environment, agentId, conversationId);
		const agent = store.agents.get(scope.agentId);
		if (!agent) throw environmentError(404, 'AGENT_NOT_FOUND', `Agent ${scope.agentId} not found.`);
		// Letta Cloud's behaviour here is not public; one turn at a time per conversation, as before.
		const prepared = prepareTurn(ctx, agent, scope, request.payload, request.options, {
			lock: true,
			requestSequence: rc.requestSequence,
		});
		if (prepared.kind === 'refused') throw refusalEnvironmentError(prepared.refusal);
		const run = prepared.execute;
		// Fire-and-forget: the device answers later; failures only show in the simulator's log.
		ctx.schedule(ctx.settings.environmentDelayMs, () => {
			run().catch((error: unknown) =>
				process.stderr.write(`[letta-simulator] environment turn failed: ${String(error)}\n`),
			);
		});
		return { body: { success: true, message: `Message sent to ${environment.connectionName}` } };
	});
}
