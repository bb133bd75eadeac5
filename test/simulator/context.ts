/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/** Everything the route handlers share: state, knobs, faults, the request log, timers. */
import { FaultQueue } from './faults';
import { LongRunState } from './longRuns';
import { RequestRecorder } from './recorder';
import { SimulatorStore } from './store';

export interface SimulatorSettings {
	/** Added to every message turn while its conversation lock is held. */
	latencyMs: number;
	/** How often a streaming response sends a ping while the agent "thinks" (Letta: ~20 s). */
	pingIntervalMs: number;
	/** Delay before an environment message's reply lands in the conversation. */
	environmentDelayMs: number;
	/** With `stream_tokens: true`: the pause before each token chunk of an assistant message. */
	tokenDelayMs: number;
}

export const DEFAULT_SETTINGS: SimulatorSettings = {
	latencyMs: 0,
	pingIntervalMs: 20_000,
	environmentDelayMs: 150,
	tokenDelayMs: 0,
};

export class SimulatorContext {
	readonly store = new SimulatorStore();
	readonly faults = new FaultQueue();
	readonly recorder = new RequestRecorder();
	settings: SimulatorSettings = { ...DEFAULT_SETTINGS };
	/** Background streams, otid recovery, callbacks, the Long Worker and the no-Redis switch. */
	readonly longRuns = new LongRunState();
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(readonly apiKey: string) {}

	/** Background work (environment replies); cancelled by reset and close. */
	schedule(delayMs: number, task: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			task();
		}, delayMs);
		this.timers.add(timer);
	}

	cancelScheduled(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	/** Back to the seed: state, knobs, faults and the request log. */
	reset(): void {
		this.cancelScheduled();
		this.store.reset();
		this.faults.clear();
		this.recorder.clear();
		this.settings = { ...DEFAULT_SETTINGS };
		this.longRuns.reset();
	}
}
