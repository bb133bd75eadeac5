import { sleep as tick } from 'n8n-workflow';

import { lanesByKey, runKeyedInOrder } from '../../../../nodes/shared/items/scheduler';

describe('lanesByKey', () => {
	it('groups item indices by key, lanes in order of their first item', () => {
		expect(lanesByKey(['a', 'b', 'a', 'c', 'b'])).toEqual([[0, 2], [1, 4], [3]]);
	});
});

describe('runKeyedInOrder', () => {
	it('returns results in item order even when later items finish first', async () => {
		const keys = ['a', 'b', 'c', 'd'];
		const delays = [40, 5, 20, 1];
		const results = await runKeyedInOrder(keys, 4, async (index) => {
			await tick(delays[index]);
			return `r${index}`;
		});
		expect(results).toEqual(['r0', 'r1', 'r2', 'r3']);
	});

	it('never runs two jobs of one key at once, and runs each key in item order', async () => {
		const keys = Array.from({ length: 40 }, (_, index) => `agent-${index % 4}`);
		const active = new Map<string, number>();
		const order = new Map<string, number[]>();
		let overlap = 0;
		let running = 0;
		let peak = 0;
		await runKeyedInOrder(keys, 3, async (index) => {
			const key = keys[index];
			active.set(key, (active.get(key) ?? 0) + 1);
			if (active.get(key)! > 1) overlap++;
			running++;
			peak = Math.max(peak, running);
			order.set(key, [...(order.get(key) ?? []), index]);
			await tick(2);
			running--;
			active.set(key, active.get(key)! - 1);
			return index;
		});
		expect(overlap).toBe(0);
		expect(peak).toBeLessThanOrEqual(3);
		expect(peak).toBeGreaterThan(1);
		for (const [key, indices] of order) {
			expect(indices).toEqual(keys.flatMap((k, i) => (k === key ? [i] : [])));
		}
	});

	it('starts nothing new after a failure, waits for jobs in flight, throws the lowest failing item', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		const keys = ['a', 'b', 'a', 'b', 'a', 'b'];
		const run = runKeyedInOrder(keys, 2, async (index) => {
			started.push(index);
			if (index === 2) throw new Error('item 2 failed');
			await tick(index === 1 ? 30 : 1);
			if (index === 3) throw new Error('item 3 failed');
			finished.push(index);
			return index;
		});
		await expect(run).rejects.toThrow('item 2 failed');
		expect(started).not.toContain(4);
		expect(finished).toContain(1);
	});

	it('awaits the pace between starting one lane and the next, and not per item', async () => {
		const keys = ['a', 'b', 'c', 'a', 'b', 'c'];
		const events: string[] = [];
		let paces = 0;
		await runKeyedInOrder(
			keys,
			3,
			async (index) => {
				events.push(`start ${index}`);
				await tick(30);
				return index;
			},
			async () => {
				paces++;
				events.push(`pace ${paces}`);
				await tick(0);
			},
		);
		expect(paces).toBe(2);
		expect(events.slice(0, 5)).toEqual(['start 0', 'pace 1', 'start 1', 'pace 2', 'start 2']);
	});

	it('starts no lane after a failure that came while pacing', async () => {
		const started: number[] = [];
		const run = runKeyedInOrder(
			['a', 'b', 'c'],
			3,
			async (index) => {
				started.push(index);
				throw new Error(`item ${index} failed`);
			},
			async () => await tick(1),
		);
		await expect(run).rejects.toThrow('item 0 failed');
		expect(started).toEqual([0]);
	});
});
