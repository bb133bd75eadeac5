/**
 * All simulator state, in memory. `reset()` rebuilds it from the seed in fixtures.ts.
 * Handlers read and change state only through this class, so the control API can
 * show and reset everything in one place.
 */
import { SEED_AGENTS, SEED_CONVERSATIONS, SEED_ENVIRONMENTS, SEED_EPOCH_MS } from './fixtures';
import { IdFactory } from './ids';
import type {
	AgentRecord,
	ConversationRecord,
	EnvironmentRecord,
	LettaMessage,
	PendingApproval,
	RunRecord,
	Scope,
	StopReason,
} from './types';

/** A turn in progress: its run and the request log entry that started it. */
export interface InFlightTurn {
	runId: string;
	requestSequence: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function scopeKey(scope: Scope): string {
	return `${scope.agentId}/${scope.conversationId ?? 'default'}`;
}

export function sameScope(a: Scope, b: Scope): boolean {
	return a.agentId === b.agentId && a.conversationId === b.conversationId;
}

export class SimulatorStore {
	readonly ids = new IdFactory();
	agents = new Map<string, AgentRecord>();
	conversations = new Map<string, ConversationRecord>();
	environments = new Map<string, EnvironmentRecord>();
	runs = new Map<string, RunRecord>();
	/** Conversation history per scope, oldest first. */
	history = new Map<string, LettaMessage[]>();
	pendingApprovals = new Map<string, PendingApproval>();
	/** Letta's conversation lock: scope key -> the run of the request holding it. */
	readonly locks = new Map<string, string>();
	/** Turns running per scope, locked or not: the request log's overlap detection reads it. */
	readonly inFlight = new Map<string, InFlightTurn[]>();
	/** Bumped by reset(): work started before a reset must not write into the fresh state. */
	generation = 0;
	private sequence = 0;

	constructor() {
		this.reset();
	}

	reset(): void {
		this.generation += 1;
		this.ids.reset();
		this.sequence = 0;
		this.agents = new Map();
		this.conversations = new Map();
		this.environments = new Map();
		this.runs = new Map();
		this.history = new Map();
		this.pendingApprovals = new Map();
		this.locks.clear();
		this.inFlight.clear();
		SEED_AGENTS.forEach((seed, index) => {
			const created = new Date(SEED_EPOCH_MS + index * DAY_MS).toISOString();
			this.agents.set(seed.id, {
				id: seed.id,
				name: seed.name,
				tags: [...seed.tags],
				description: seed.description,
				behaviour: seed.behaviour,
				createdAt: created,
				updatedAt: created,
				lastStopReason: null,
				lastRunCompletion: null,
				lastRunDurationMs: null,
			});
		});
		SEED_CONVERSATIONS.forEach((seed, index) => {
			const created = new Date(SEED_EPOCH_MS + 30 * DAY_MS + index * DAY_MS).toISOString();
			this.conversations.set(seed.id, {
				id: seed.id,
				agentId: seed.agentId,
				summary: seed.summary,
				createdAt: created,
				updatedAt: created,
				lastMessageAt: null,
				model: null,
				sequence: this.nextSequence(),
			});
		});
		for (const seed of SEED_ENVIRONMENTS) {
			this.environments.set(seed.id, {
				id: seed.id,
				deviceId: seed.deviceId,
				connectionName: seed.connectionName,
				connectionId: seed.connectionId,
				staleConnectionIds: [...seed.staleConnectionIds],
				heartbeatAgeMs: seed.heartbeatAgeSeconds === null ? null : seed.heartbeatAgeSeconds * 1000,
				connectedAtMs: seed.connectionId === null ? null : SEED_EPOCH_MS,
				firstSeenAtMs: SEED_EPOCH_MS,
				defaultAgentId: seed.defaultAgentId,
				os: seed.os,
			});
		}
	}

	nextSequence(): number {
		this.sequence += 1;
		return this.sequence;
	}

	getHistory(scope: Scope): LettaMessage[] {
		const key = scopeKey(scope);
		let messages = this.history.get(key);
		if (!messages) {
			messages = [];
			this.history.set(key, messages);
		}
		return messages;
	}

	appendHistory(scope: Scope, messages: LettaMessage[]): void {
		this.getHistory(scope).push(...messages);
		if (scope.conversationId !== null) {
			const conversation = this.conversations.get(scope.conversationId);
			if (conversation && messages.length > 0) {
				conversation.lastMessageAt = messages[messages.length - 1].date;
				conversation.updatedAt = conversation.lastMessageAt;
			}
		}
	}

	createRun(scope: Scope): RunRecord {
		const run: RunRecord = {
			id: this.ids.prefixed('run'),
			agentId: scope.agentId,
			conversationId: scope.conversationId,
			status: 'running',
			stopReason: null,
			createdAt: new Date().toISOString(),
			completedAt: null,
			sequence: this.nextSequence(),
			durationMs: null,
		};
		this.runs.set(run.id, run);
		return run;
	}

	/** A run Letta created and then marked failed because the agent loop refused the input. */
	failRun(run: RunRecord, stopReason: StopReason | null): void {
		const completed = new Date();
		run.status = 'failed';
		run.stopReason = stopReason;
		run.completedAt = completed.toISOString();
		run.durationMs = completed.getTime() - Date.parse(run.createdAt);
	}

	/** Ends a run and records the outcome on the agent, as Letta does after every run. */
	completeRun(run: RunRecord, stopReason: StopReason): void {
		const completed = new Date();
		run.status = 'completed';
		run.stopReason = stopReason;
		run.completedAt = completed.toISOString();
		run.durationMs = completed.getTime() - Date.parse(run.createdAt);
		const agent = this.agents.get(run.agentId);
		if (agent) {
			agent.lastStopReason = stopReason;
			agent.lastRunCompletion = run.completedAt;
			agent.lastRunDurationMs = run.durationMs;
		}
	}

	getPendingApproval(scope: Scope): PendingApproval | undefined {
		return this.pendingApprovals.get(scopeKey(scope));
	}

	setPendingApproval(pending: PendingApproval): void {
		this.pendingApprovals.set(scopeKey(pending.scope), pending);
	}

	clearPendingApproval(scope: Scope): void {
		this.pendingApprovals.delete(scopeKey(scope));
	}

	/** The run holding the scope's lock, or null when it is free. */
	lockHolder(scope: Scope): string | null {
		return this.locks.get(scopeKey(scope)) ?? null;
	}

	lock(scope: Scope, runId: string): void {
		this.locks.set(scopeKey(scope), runId);
	}

	unlock(scope: Scope): void {
		this.locks.delete(scopeKey(scope));
	}

	/** Registers a running turn; returns the turns already running on the same scope. */
	beginTurn(scope: Scope, turn: InFlightTurn): InFlightTurn[] {
		const key = scopeKey(scope);
		const running = this.inFlight.get(key) ?? [];
		this.inFlight.set(key, [...running, turn]);
		return running;
	}

	endTurn(scope: Scope, turn: InFlightTurn): void {
		const key = scopeKey(scope);
		const remaining = (this.inFlight.get(key) ?? []).filter((candidate) => candidate !== turn);
		if (remaining.length === 0) this.inFlight.delete(key);
		else this.inFlight.set(key, remaining);
	}
}
