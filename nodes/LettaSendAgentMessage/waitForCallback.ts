import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { z } from 'zod';

import { runCallbackSchema, startAsyncRun, type RunCallback } from '../shared/api/asyncMessages';
import type { LettaResponse } from '../shared/api/messageSchemas';
import { readRunResult } from '../shared/api/runResult';
import { ACTIVE_RUN_STATUSES, getRun } from '../shared/api/runs';
import { routeReplies } from '../shared/items/output';
import { shapeAgentReply } from '../shared/items/reply';
import { runItemsUnrouted } from '../shared/items/runner';
import { refuseWebhook } from '../shared/items/webhookAnswer';
import { createLettaClient, type LettaClient } from '../shared/transport/request';
import { messageLane, prepareMessage, type PreparedMessage } from './prepareMessage';
import { answeredBeforeAsync, asyncAgentId } from './sendWithCallbackUrl';
import { DEFAULT_CALLBACK_DEADLINE_MINUTES } from './waitOptions';

/**
 * Wait for Callback: each item starts a background run whose callback_url is this execution's
 * resume URL with the item marked; the execution then waits in n8n (no process held). Every
 * callback resumes `webhook()`, which reads all of the execution's runs: while one is still going
 * it answers and the execution keeps waiting; once all ended, the node puts out every reply.
 */

/** The query parameter that marks which item a callback belongs to. */
export const CALLBACK_ITEM_PARAM = 'letta_item';
/** The status of a run the node still waits on (also what the deadline puts out). */
export const NO_CALLBACK = 'no_callback';

/** What a waiting item holds: enough for `webhook()` to find and match the run. */
const waitingRunSchema = z.object({
	waiting_for_callback: z.literal(true),
	run_id: z.string(),
	agent_id: z.string(),
	conversation_id: z.string().nullable(),
});
type WaitingRun = z.infer<typeof waitingRunSchema>;

export function callbackUrlFor(resumeUrl: string, itemIndex: number): string {
	const url = new URL(resumeUrl);
	url.searchParams.set(CALLBACK_ITEM_PARAM, String(itemIndex));
	return url.toString();
}

function waitingItem(run: WaitingRun, itemIndex: number, deadline: Date): INodeExecutionData {
	return {
		json: {
			...run,
			reply: '',
			stop_reason: null,
			status: NO_CALLBACK,
			message: `Run ${run.run_id} had not called back by ${deadline.toISOString()} (Letta tries once and never retries); read it with Letta > Run > Get Messages.`,
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Starts every item's run and puts the execution to wait. The waiting items become the node's
 * input while it waits, so the deadline (n8n resuming without a callback) puts them out, and
 * `webhook()` reads them back.
 */
export async function startCallbackWait(
	context: IExecuteFunctions,
	client: LettaClient,
): Promise<INodeExecutionData[][]> {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const minutes = Number(
		context.getNodeParameter(
			'options.callbackDeadlineMinutes',
			0,
			DEFAULT_CALLBACK_DEADLINE_MINUTES,
		),
	);
	const deadline = new Date(Date.now() + minutes * 60_000);
	const items = (await runItemsUnrouted<PreparedMessage, INodeExecutionData>(context, {
		prepare: async (itemIndex) => await prepareMessage(context, itemIndex),
		lane: messageLane,
		send: async (entry, itemIndex) => {
			const answered = await answeredBeforeAsync(context, client, entry, itemIndex);
			if (answered) return answered;
			const agentId = asyncAgentId(context, entry, itemIndex);
			const run = await startAsyncRun(
				client,
				agentId,
				entry.request.body as IDataObject,
				callbackUrlFor(resumeUrl, itemIndex),
				itemIndex,
			);
			const waiting: WaitingRun = {
				waiting_for_callback: true,
				run_id: run.id,
				agent_id: agentId,
				conversation_id: null,
			};
			return waitingItem(waiting, itemIndex, deadline);
		},
	})) as INodeExecutionData[];
	if (!items.some((item) => waitingRunSchema.safeParse(item.json).success)) {
		return routeReplies(items);
	}
	context.getExecuteData().data.main = [items];
	await context.putExecutionToWait(deadline);
	return [items, []];
}

/** The node's items while it waits (the callback's execution holds them as the node's input). */
function readWaitingItems(context: IWebhookFunctions): INodeExecutionData[] {
	const items = context.evaluateExpression('{{ $input.all() }}', 0);
	return Array.isArray(items) ? (items as INodeExecutionData[]) : [];
}

async function finalItem(
	client: LettaClient,
	item: INodeExecutionData,
	run: WaitingRun,
	fromCallback: LettaResponse | undefined,
): Promise<INodeExecutionData> {
	const itemIndex = (item.pairedItem as { item: number }).item;
	const response =
		fromCallback ??
		(await readRunResult(client, run.run_id, { itemIndex, resource: `run ${run.run_id}` }));
	const reply = shapeAgentReply(response, { agentId: run.agent_id });
	return { json: { ...reply, run_id: run.run_id }, pairedItem: item.pairedItem };
}

/**
 * One of Letta's callbacks. Refused (4xx, nothing resumes) unless it names the run its item
 * started. While another run of the execution is still going, it answers and the execution
 * keeps waiting; the callback of the last run to end puts out every item.
 */
export async function resumeOnCallback(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const items = readWaitingItems(context);
	const marked = Number((context.getQueryData() as IDataObject)[CALLBACK_ITEM_PARAM]);
	const body = runCallbackSchema.safeParse(context.getBodyData());
	if (!body.success) return refuseWebhook(context, 400, 'Not a Letta run callback.');
	const runs = items.map((item) => {
		const parsed = waitingRunSchema.safeParse(item.json);
		return parsed.success ? parsed.data : undefined;
	});
	const own = items.findIndex(
		(item, index) =>
			(item.pairedItem as { item?: number } | undefined)?.item === marked &&
			runs[index]?.run_id === body.data.run_id,
	);
	if (own < 0) {
		return refuseWebhook(
			context,
			404,
			`Run ${body.data.run_id} was not started by this execution's item.`,
		);
	}
	try {
		return await settleCallback(context, items, runs, own, body.data);
	} catch (error) {
		// A failed read changes nothing: the execution keeps waiting (its deadline still guards it).
		return refuseWebhook(
			context,
			502,
			`Could not read the runs from Letta (${(error as Error).message}); the execution keeps waiting until its deadline.`,
		);
	}
}

/** The callback matched its item: reads every run; resumes once all ended. */
async function settleCallback(
	context: IWebhookFunctions,
	items: INodeExecutionData[],
	runs: Array<WaitingRun | undefined>,
	own: number,
	callback: RunCallback,
): Promise<IWebhookResponseData> {
	const client = await createLettaClient(context);
	const stillGoing: string[] = [];
	for (const run of runs) {
		if (!run) continue;
		const current = await getRun(client, run.run_id);
		if (ACTIVE_RUN_STATUSES.includes(current.status)) stillGoing.push(run.run_id);
		else if (run.run_id === callback.run_id && current.status !== callback.status) {
			return refuseWebhook(context, 409, `The callback's status does not match run ${run.run_id}.`);
		}
	}
	if (stillGoing.length > 0) {
		return { webhookResponse: { received: callback.run_id, waiting_for: stillGoing } };
	}
	const output: INodeExecutionData[] = [];
	for (const [index, item] of items.entries()) {
		const run = runs[index];
		if (!run) {
			output.push(item);
			continue;
		}
		const fromCallback = index === own ? (callback.metadata?.result ?? undefined) : undefined;
		output.push(await finalItem(client, item, run, fromCallback));
	}
	return { workflowData: routeReplies(output) };
}
