/**
 * Per-tenant state for long runs: the switches the control API sets (`/__sim/long-runs`),
 * the Redis stand-in (each background run's SSE chunks with their seq_id, the otid -> run
 * mapping, the lock holders' request tokens), the callback attempts, and the pacing that
 * spreads the Long Worker's steps over its work time.
 */
import type { SimulatorContext } from './context';
import { sleep } from './http';
import type { AgentRecord, LettaMessage } from './types';

export interface LongRunSettings {
	/** How long the Long Worker works per turn; its tool steps are spread over this time. */
	workMs: number;
	/** false = a self-hosted Letta without Redis: no locks, no otid recovery, background is 503. */
	redis: boolean;
	/** `drop`: the callback never reaches the receiver (recorded as a failed attempt). */
	callbackDelivery: 'deliver' | 'drop' | 'delay';
	/** With `delay`: wait this long before the (one) callback POST. */
	callbackDelayMs: number;
	/**
	 * Time between taking the conversation lock and storing the otid -> run mapping (Letta's
	 * run insert): a resend inside this window meets the lock and takes the "second-chance" path.
	 */
	runCreationDelayMs: number;
}

export const DEFAULT_LONG_RUN_SETTINGS: LongRunSettings = {
	workMs: 3000,
	redis: true,
	callbackDelivery: 'deliver',
	callbackDelayMs: 0,
	runCreationDelayMs: 0,
};

/** One callback delivery attempt, as the simulator made it (for tests; Letta keeps only the run fields). */
export interface CallbackAttempt {
	runId: string;
	url: string;
	payload: unknown;
	attemptedAt: string;
	delivery: LongRunSettings['callbackDelivery'];
	statusCode: number | null;
	error: string | null;
}

/** Messages of one agent step, handed to whoever streams the turn as it happens. */
export type ProgressListener = (messages: LettaMessage[]) => void;

/**
 * A run's chunks as Letta's RedisSSEStreamWriter stores them: `data` is the SSE text as the
 * agent loop yielded it, `seqId` counts from 1 per run, `complete` marks the last chunk.
 */
export interface StoredChunk {
	seqId: number;
	data: string;
	complete: boolean;
}

export class RunStream {
	readonly chunks: StoredChunk[] = [];
	private readonly listeners = new Set<() => void>();

	get complete(): boolean {
		return this.chunks.length > 0 && this.chunks[this.chunks.length - 1].complete;
	}

	append(data: string, complete = false): void {
		if (this.complete) return;
		this.chunks.push({ seqId: this.chunks.length + 1, data, complete });
		for (const listener of [...this.listeners]) listener();
	}

	/** Calls `listener` after every append until the returned function is called. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

export class LongRunState {
	settings: LongRunSettings = { ...DEFAULT_LONG_RUN_SETTINGS };
	/** Redis `sse:run:<run_id>` streams. */
	readonly streams = new Map<string, RunStream>();
	/** Redis `otid:run:<otid or request token>`. */
	readonly otidRuns = new Map<string, string>();
	/** The request token each held conversation lock was taken with (scope key -> token). */
	readonly lockTokens = new Map<string, string>();
	readonly callbacks: CallbackAttempt[] = [];

	reset(): void {
		this.settings = { ...DEFAULT_LONG_RUN_SETTINGS };
		this.streams.clear();
		this.otidRuns.clear();
		this.lockTokens.clear();
		this.callbacks.length = 0;
	}
}

/**
 * The Long Worker's pace: its steps (messages grouped by step_id) arrive evenly over
 * `workMs`, each after its share of the time. Other agents answer at once.
 */
export async function paceTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	messages: LettaMessage[],
	onProgress: ProgressListener | undefined,
): Promise<void> {
	if (agent.behaviour !== 'longWork') return;
	const steps: LettaMessage[][] = [];
	for (const message of messages) {
		const last = steps[steps.length - 1];
		if (last && last[0].step_id === message.step_id) last.push(message);
		else steps.push([message]);
	}
	const generation = ctx.store.generation;
	const share = ctx.longRuns.settings.workMs / Math.max(1, steps.length);
	for (const step of steps) {
		await sleep(share);
		// A reset meanwhile: the run belongs to a state that no longer exists.
		if (ctx.store.generation !== generation) throw new Error('simulator reset during a long run');
		onProgress?.(step);
	}
}
