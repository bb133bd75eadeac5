/**
 * Deterministic ids: a counter per kind, formatted like Letta's ids (uuid4-shaped),
 * so a reset simulator hands out the same ids in the same order on every run.
 */
export class IdFactory {
	private readonly counters = new Map<string, number>();

	private nextCount(kind: string): number {
		const count = (this.counters.get(kind) ?? 0) + 1;
		this.counters.set(kind, count);
		return count;
	}

	/** `<prefix>-<uuid4-shaped>`, e.g. `message-00000000-0000-4000-8000-000000000001`. */
	prefixed(prefix: 'message' | 'run' | 'step' | 'conv' | 'conn' | 'ping'): string {
		const count = this.nextCount(prefix);
		return `${prefix}-00000000-0000-4000-8000-${count.toString(16).padStart(12, '0')}`;
	}

	/** OpenAI-style tool call id, as Letta passes through from the model provider. */
	toolCallId(): string {
		return `call_sim${this.nextCount('call').toString(16).padStart(16, '0')}`;
	}

	/** otid Letta assigns to the agent's own messages. */
	otid(): string {
		return `otid-${this.nextCount('otid').toString(16).padStart(12, '0')}`;
	}

	reset(): void {
		this.counters.clear();
	}
}
