/**
 * Bounded concurrency with one lane per key. Letta refuses a second request on a
 * conversation that is still busy (409), so jobs that share a key (agent and
 * conversation) run one at a time, in item order; different keys run side by side.
 */

export const DEFAULT_CONCURRENCY = 20;
export const MIN_CONCURRENCY = 1;
export const MAX_CONCURRENCY = 50;

/** Item indices grouped by key, lanes ordered by their first item. */
export function lanesByKey(keys: string[]): number[][] {
	const lanes = new Map<string, number[]>();
	keys.forEach((key, index) => {
		const lane = lanes.get(key);
		if (lane) lane.push(index);
		else lanes.set(key, [index]);
	});
	return [...lanes.values()];
}

class FirstFailure {
	index = Number.POSITIVE_INFINITY;
	error: unknown;

	record(index: number, error: unknown) {
		if (index < this.index) {
			this.index = index;
			this.error = error;
		}
	}

	get happened() {
		return this.index !== Number.POSITIVE_INFINITY;
	}
}

/**
 * Runs `job(index)` for every key and returns the results in index order.
 * After a failure no new job starts, jobs already sent are awaited (their work is
 * not abandoned half-way), and the failure with the lowest item index is thrown.
 * `pace`, when given, is awaited between starting one lane and the next.
 */
export async function runKeyedInOrder<T>(
	keys: string[],
	concurrency: number,
	job: (index: number) => Promise<T>,
	pace?: () => Promise<void>,
): Promise<T[]> {
	const results = new Array<T>(keys.length);
	const lanes = lanesByKey(keys);
	const failure = new FirstFailure();
	let nextLane = 0;

	const worker = async () => {
		while (nextLane < lanes.length && !failure.happened) {
			const lane = lanes[nextLane++];
			for (const index of lane) {
				if (failure.happened) return;
				try {
					results[index] = await job(index);
				} catch (error) {
					failure.record(index, error);
					return;
				}
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, lanes.length));
	const running: Array<Promise<void>> = [];
	for (let started = 0; started < workers; started++) {
		if (started > 0 && pace) await pace();
		running.push(worker());
	}
	await Promise.all(running);
	if (failure.happened) throw failure.error;
	return results;
}
