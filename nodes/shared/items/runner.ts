import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { runMayContinue } from '../transport/errors';
import { runsAsTool } from './executionNode';
import { asNodeError, errorItem, routeOutputs, routeReplies } from './output';
import { readConcurrency } from './parameters';
import { runKeyedInOrder } from './scheduler';

/**
 * How the message nodes run their items: every item is mapped before anything is sent
 * (bad input costs no agent run), then items go out in lanes (one at a time per lane, in
 * item order, lanes side by side up to the Concurrency option), and the results are
 * routed to Completed / Needs Approval. Continue-on-fail turns a failure into an error
 * item in its place.
 */
export interface LanePlan<Prepared, Result = INodeExecutionData> {
	prepare(itemIndex: number): Prepared | Promise<Prepared>;
	/** Items sharing a lane (e.g. agent and conversation) never run at the same time. */
	lane(prepared: Prepared): string;
	send(prepared: Prepared, itemIndex: number): Promise<Result>;
	/**
	 * Called before the next item of a lane goes out when an earlier one timed out or was cut
	 * off (its run may still be going): waits for that run to end. Returns nothing when it
	 * ended, else the error every later item of the lane fails with (none of them is sent).
	 */
	settle?(
		failed: Prepared,
		failedItem: number,
		runId: string | undefined,
	): Promise<((itemIndex: number) => Error) | undefined>;
}

/** Per lane: an item whose run may still be going, or the reason the lane is blocked. */
class LaneGuard<Prepared> {
	private readonly unsettled = new Map<
		string,
		{ prepared: Prepared; item: number; runId?: string }
	>();
	private readonly blocked = new Map<string, (itemIndex: number) => Error>();

	constructor(private readonly plan: LanePlan<Prepared, unknown>) {}

	/** Throws when the lane may not send `itemIndex` (an earlier run did not end in time). */
	async beforeSend(lane: string, itemIndex: number): Promise<void> {
		const previous = this.unsettled.get(lane);
		if (previous && this.plan.settle) {
			this.unsettled.delete(lane);
			const blocked = await this.plan.settle(previous.prepared, previous.item, previous.runId);
			if (blocked) this.blocked.set(lane, blocked);
		}
		const blocked = this.blocked.get(lane);
		if (blocked) throw blocked(itemIndex);
	}

	afterFailure(lane: string, prepared: Prepared, itemIndex: number, error: unknown): void {
		const running = runMayContinue(error);
		if (running) this.unsettled.set(lane, { prepared, item: itemIndex, runId: running.runId });
	}
}

/**
 * Lanes start one event-loop turn apart. Started in one go, their first requests leave in one
 * burst, the answers come back in one burst, and each lane's next request waits until n8n has
 * handled the whole burst, message after message (measured in real n8n at 20 lanes: a median
 * of 26 ms from an answer to the lane's next request, 15 ms with lanes started apart).
 */
const nextEventLoopTurn = async () => await sleep(0);

export async function runItemsInLanes<Prepared>(
	context: IExecuteFunctions,
	plan: LanePlan<Prepared>,
): Promise<INodeExecutionData[][]> {
	return routeOutputs(context, await runItemsUnrouted(context, plan), routeReplies);
}

/** The same run without routing: one result per item, an error item in place of a failed one. */
export async function runItemsUnrouted<Prepared, Result>(
	context: IExecuteFunctions,
	plan: LanePlan<Prepared, Result>,
): Promise<Array<Result | INodeExecutionData>> {
	// A tool's error is told to the model as its result (with how to fix it), not thrown.
	const continueOnFail = context.continueOnFail() || runsAsTool(context);
	const concurrency = readConcurrency(context);

	const prepared: Array<{ ok: Prepared } | { failed: Error }> = [];
	for (let itemIndex = 0; itemIndex < context.getInputData().length; itemIndex++) {
		try {
			prepared.push({ ok: await plan.prepare(itemIndex) });
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context, error, itemIndex);
			prepared.push({ failed: error as Error });
		}
	}

	const lanes = prepared.map((entry, itemIndex) =>
		'ok' in entry ? plan.lane(entry.ok) : `invalid:${itemIndex}`,
	);

	const guard = new LaneGuard(plan);
	const sendItem = async (itemIndex: number) => {
		const entry = prepared[itemIndex];
		if (!('ok' in entry)) return errorItem(entry.failed, itemIndex);
		const lane = lanes[itemIndex];
		try {
			await guard.beforeSend(lane, itemIndex);
			return await plan.send(entry.ok, itemIndex);
		} catch (error) {
			guard.afterFailure(lane, entry.ok, itemIndex, error);
			if (!continueOnFail) throw asNodeError(context, error, itemIndex);
			return errorItem(error as Error, itemIndex);
		}
	};
	return await runKeyedInOrder(lanes, concurrency, sendItem, nextEventLoopTurn);
}
