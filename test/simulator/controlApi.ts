/**
 * The simulator's own control API under /__sim (no auth, never proxied through Prism):
 * tests use it to reset state, inject latency and faults, read the request log and
 * arrange situations (a pending approval, an offline environment) without going through /v1.
 */
import type { SimulatorContext, SimulatorSettings } from './context';
import { describeScope } from './conversationTurn';
import type { ActiveFault, FaultSpec } from './faults';
import { HttpError, isRecord } from './http';
import { approvalRequestMessage } from './messages';
import { requireAgent } from './messageRoutes';
import type { RequestContext, Router } from './router';
import { approvalToolCalls } from './turns';
import type {
	ApprovalRequestMessage,
	EnvironmentRecord,
	Scope,
	StopReason,
	ToolCall,
} from './types';
import {
	isEnvironmentOnline,
	toEnvironmentConnection,
	toRun,
	type EnvironmentConnectionView,
	type RunView,
} from './views';

/** The control API's own errors (not Letta's): a plain `{detail}` saying what to send. */
function detailError(status: number, detail: string): HttpError {
	return new HttpError(status, { detail });
}

function bodyRecord(rc: RequestContext): Record<string, unknown> {
	if (rc.body === undefined) return {};
	if (!isRecord(rc.body)) throw detailError(400, 'BAD_REQUEST: control body must be a JSON object');
	return rc.body;
}

function optionalNumber(body: Record<string, unknown>, name: string): number | undefined {
	const value = body[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		throw detailError(400, `BAD_REQUEST: ${name} must be a non-negative number`);
	return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
	const value = body[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw detailError(400, `BAD_REQUEST: ${name} must be a string`);
	return value;
}

function findEnvironment(ctx: SimulatorContext, key: string): EnvironmentRecord {
	const environment = [...ctx.store.environments.values()].find(
		(candidate) =>
			candidate.id === key || candidate.deviceId === key || candidate.connectionId === key,
	);
	if (!environment)
		throw detailError(404, `NOT_FOUND: environment ${key} (id, deviceId or connectionId)`);
	return environment;
}

export interface PendingApprovalSnapshot {
	agentId: string;
	/** null = the agent's default conversation. */
	conversationId: string | null;
	runId: string;
	toolCalls: ToolCall[];
	approvalRequest: ApprovalRequestMessage;
}

export interface SimulatorStateSnapshot {
	settings: SimulatorSettings;
	pendingApprovals: PendingApprovalSnapshot[];
	/** `<agentId>/<conversationId|default>` of requests in progress. */
	/** Letta's conversation locks held now: scope key (agent/conversation) and the holding run. */
	locks: Array<{ scope: string; runId: string }>;
	/** Oldest first. */
	runs: RunView[];
	agents: Array<{ id: string; name: string; lastStopReason: StopReason | null }>;
	conversations: Array<{ id: string; agentId: string }>;
	environments: Array<EnvironmentConnectionView & { online: boolean }>;
	faults: ActiveFault[];
}

export interface SeededApproval {
	runId: string;
	approvalRequest: ApprovalRequestMessage;
}

function stateSnapshot(ctx: SimulatorContext): SimulatorStateSnapshot {
	const { store } = ctx;
	return {
		settings: ctx.settings,
		pendingApprovals: [...store.pendingApprovals.values()].map((pending) => ({
			agentId: pending.scope.agentId,
			conversationId: pending.scope.conversationId,
			runId: pending.runId,
			toolCalls: pending.request.tool_calls,
			approvalRequest: pending.request,
		})),
		locks: [...store.locks].map(([scope, runId]) => ({ scope, runId })),
		runs: [...store.runs.values()].sort((a, b) => a.sequence - b.sequence).map(toRun),
		agents: [...store.agents.values()].map((agent) => ({
			id: agent.id,
			name: agent.name,
			lastStopReason: agent.lastStopReason,
		})),
		conversations: [...store.conversations.values()].map((conversation) => ({
			id: conversation.id,
			agentId: conversation.agentId,
		})),
		environments: [...store.environments.values()].map((environment) => ({
			...toEnvironmentConnection(environment, Date.now()),
			online: isEnvironmentOnline(environment),
		})),
		faults: ctx.faults.list(),
	};
}

export function registerControlRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	router.add('GET', '/__sim/health', () => ({ body: { ok: true } }));

	router.add('POST', '/__sim/reset', () => {
		ctx.reset();
		return { body: { ok: true } };
	});

	router.add('GET', '/__sim/settings', () => ({ body: ctx.settings }));

	router.add('POST', '/__sim/latency', (rc) => {
		const body = bodyRecord(rc);
		const ms = optionalNumber(body, 'ms');
		if (ms === undefined)
			throw detailError(400, 'BAD_REQUEST: body must be {ms: number, pingIntervalMs?: number}');
		ctx.settings.latencyMs = ms;
		const pingIntervalMs = optionalNumber(body, 'pingIntervalMs');
		if (pingIntervalMs !== undefined) ctx.settings.pingIntervalMs = Math.max(10, pingIntervalMs);
		return { body: ctx.settings };
	});

	router.add('POST', '/__sim/settings', (rc) => {
		const body = bodyRecord(rc);
		const latencyMs = optionalNumber(body, 'latencyMs');
		const pingIntervalMs = optionalNumber(body, 'pingIntervalMs');
		const environmentDelayMs = optionalNumber(body, 'environmentDelayMs');
		const tokenDelayMs = optionalNumber(body, 'tokenDelayMs');
		if (latencyMs !== undefined) ctx.settings.latencyMs = latencyMs;
		if (pingIntervalMs !== undefined) ctx.settings.pingIntervalMs = Math.max(10, pingIntervalMs);
		if (environmentDelayMs !== undefined) ctx.settings.environmentDelayMs = environmentDelayMs;
		if (tokenDelayMs !== undefined) ctx.settings.tokenDelayMs = Math.max(0, tokenDelayMs);
		return { body: ctx.settings };
	});

	router.add('GET', '/__sim/faults', () => ({ body: ctx.faults.list() }));

	router.add('POST', '/__sim/faults', (rc) => {
		const body = bodyRecord(rc);
		const status = body.status;
		if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
			throw detailError(400, 'BAD_REQUEST: status must be an HTTP error status (400-599)');
		}
		const count = optionalNumber(body, 'count');
		const spec: FaultSpec = {
			status,
			count: count === undefined ? 1 : Math.max(1, Math.floor(count)),
			retryAfterSeconds: optionalNumber(body, 'retryAfterSeconds'),
			pathContains: optionalString(body, 'pathContains'),
			method: optionalString(body, 'method'),
			body: body.body,
		};
		return { body: ctx.faults.add(spec) };
	});

	router.add('DELETE', '/__sim/faults', () => {
		ctx.faults.clear();
		return { body: { ok: true } };
	});

	router.add('GET', '/__sim/requests', (rc) => ({
		body: ctx.recorder.list({
			method: rc.query.get('method') ?? undefined,
			pathContains: rc.query.get('pathContains') ?? undefined,
		}),
	}));

	router.add('GET', '/__sim/overlaps', () => ({ body: ctx.recorder.overlaps() }));

	router.add('DELETE', '/__sim/requests', () => {
		ctx.recorder.clear();
		return { body: { ok: true } };
	});

	router.add('GET', '/__sim/state', () => ({ body: stateSnapshot(ctx) }));

	/**
	 * Puts an agent in the state Letta leaves it in after a run stopped for approval,
	 * without sending a message: a completed run with stop_reason requires_approval and a
	 * pending approval_request_message (the agent's own tool calls, or delete_file).
	 * `ageSeconds` dates the request that long ago (a request pending since yesterday).
	 */
	router.add('POST', '/__sim/pending-approval', (rc) => {
		const body = bodyRecord(rc);
		const agentId = optionalString(body, 'agentId');
		if (agentId === undefined)
			throw detailError(
				400,
				'BAD_REQUEST: body must be {agentId, conversationId?, text?, ageSeconds?}',
			);
		const agent = requireAgent(ctx, agentId);
		const conversationId = optionalString(body, 'conversationId') ?? null;
		if (conversationId !== null) {
			const conversation = store.conversations.get(conversationId);
			if (!conversation || conversation.agentId !== agent.id) {
				throw detailError(404, `NOT_FOUND: conversation ${conversationId} of agent ${agent.id}`);
			}
		}
		const scope: Scope = { agentId: agent.id, conversationId };
		if (store.getPendingApproval(scope))
			throw detailError(409, `CONFLICT: ${describeScope(scope)} already has a pending approval`);
		const text = optionalString(body, 'text') ?? 'seeded.txt';
		const run = store.createRun(scope);
		const request = approvalRequestMessage(
			{ ids: store.ids, runId: run.id, stepId: store.ids.prefixed('step') },
			approvalToolCalls(agent, text, store.ids),
		);
		const ageSeconds = optionalNumber(body, 'ageSeconds');
		if (ageSeconds !== undefined)
			request.date = new Date(Date.now() - ageSeconds * 1000).toISOString();
		store.appendHistory(scope, [request]);
		store.setPendingApproval({ scope, runId: run.id, request });
		store.completeRun(run, 'requires_approval');
		const seeded: SeededApproval = { runId: run.id, approvalRequest: request };
		return { body: seeded };
	});

	/**
	 * A run still going (status running or created) that started `ageMinutes` ago, as a run
	 * whose agent hangs on a slow tool or model call: what stuck-run clean-ups look for.
	 */
	router.add('POST', '/__sim/runs', (rc) => {
		const body = bodyRecord(rc);
		const agentId = optionalString(body, 'agentId');
		const status = optionalString(body, 'status') ?? 'running';
		if (agentId === undefined || (status !== 'running' && status !== 'created'))
			throw detailError(
				400,
				'BAD_REQUEST: body must be {agentId, conversationId?, ageMinutes?, status?: running|created}',
			);
		const agent = requireAgent(ctx, agentId);
		const conversationId = optionalString(body, 'conversationId') ?? null;
		const run = store.createRun({ agentId: agent.id, conversationId });
		run.status = status;
		const ageMinutes = optionalNumber(body, 'ageMinutes') ?? 0;
		run.createdAt = new Date(Date.now() - ageMinutes * 60_000).toISOString();
		return { body: toRun(run) };
	});

	router.add('POST', '/__sim/environments/{key}/offline', (rc) => {
		const environment = findEnvironment(ctx, rc.params.key);
		if (environment.connectionId !== null)
			environment.staleConnectionIds.push(environment.connectionId);
		environment.connectionId = null;
		return { body: toEnvironmentConnection(environment, Date.now()) };
	});

	/** A new session: a new connectionId (the old one becomes stale) and a fresh heartbeat. */
	router.add('POST', '/__sim/environments/{key}/online', (rc) => {
		const environment = findEnvironment(ctx, rc.params.key);
		if (environment.connectionId !== null)
			environment.staleConnectionIds.push(environment.connectionId);
		environment.connectionId = store.ids.prefixed('conn');
		environment.heartbeatAgeMs = 1000;
		environment.connectedAtMs = Date.now();
		return { body: toEnvironmentConnection(environment, Date.now()) };
	});
}
