/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Waiting for something outside this process (n8n, its workers, the simulator) to get somewhere:
 * the one polling loop of the real-n8n suites (e2e, queue mode) and the benchmark.
 */

export async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

const POLL_INTERVAL_MS = 250;

/** Reads until `done` or the time is up; returns the last value read either way. */
export async function readUntil<T>(
	timeoutMs: number,
	read: () => Promise<T>,
	done: (value: T) => boolean,
	intervalMs = POLL_INTERVAL_MS,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await sleep(intervalMs);
		value = await read();
	}
	return value;
}

export interface WaitForOptions<T> {
	/** The last value, in the error when the time is up. */
	describe?: (value: T) => string;
	intervalMs?: number;
}

/** Reads until `done`; throws naming `what` and the last value when the time is up. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	read: () => Promise<T>,
	done: (value: T) => boolean,
	{ describe = (value) => JSON.stringify(value).slice(0, 500), intervalMs }: WaitForOptions<T> = {},
): Promise<T> {
	const value = await readUntil(timeoutMs, read, done, intervalMs);
	if (!done(value)) throw new Error(`no ${what} after ${timeoutMs / 1000} s: ${describe(value)}`);
	return value;
}
