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
	ProcessedApproval,
	RunRecord,
	Scope,
	StopReason,
} from './types';

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
	processedApprovals: ProcessedApproval[] = [];
	/** Scopes with a request in progress (Letta's per-conversation lock). */
	readonly busyScopes = new Set<string>();
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
		this.processedApprovals = [];
		this.busyScopes.clear();
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

	isLocked(scope: Scope): boolean {
		return this.busyScopes.has(scopeKey(scope));
	}

	/** Takes the conversation lock; false when another request already holds it. */
	tryLock(scope: Scope): boolean {
		const key = scopeKey(scope);
		if (this.busyScopes.has(key)) return false;
		this.busyScopes.add(key);
		return true;
	}

	unlock(scope: Scope): void {
		this.busyScopes.delete(scopeKey(scope));
	}
}
