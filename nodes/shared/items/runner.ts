import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem, routeReplies } from './output';
import { DEFAULT_CONCURRENCY, runKeyedInOrder } from './scheduler';

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
}

export async function runItemsInLanes<Prepared>(
	context: IExecuteFunctions,
	plan: LanePlan<Prepared>,
): Promise<INodeExecutionData[][]> {
	return routeReplies(await runItemsUnrouted(context, plan));
}

/** The same run without routing: one result per item, an error item in place of a failed one. */
export async function runItemsUnrouted<Prepared, Result>(
	context: IExecuteFunctions,
	plan: LanePlan<Prepared, Result>,
): Promise<Array<Result | INodeExecutionData>> {
	const continueOnFail = context.continueOnFail();

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
	const concurrency = context.getNodeParameter(
		'options.concurrency',
		0,
		DEFAULT_CONCURRENCY,
	) as number;

	return await runKeyedInOrder(lanes, concurrency, async (itemIndex) => {
		const entry = prepared[itemIndex];
		if (!('ok' in entry)) return errorItem(entry.failed, itemIndex);
		try {
			return await plan.send(entry.ok, itemIndex);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(context, error, itemIndex);
			return errorItem(error as Error, itemIndex);
		}
	});
}
