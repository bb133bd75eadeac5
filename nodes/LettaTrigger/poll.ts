import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { denyApprovalRequest } from '../shared/approvals/delivery';
import {
	approvalKey,
	UNLIMITED_BUDGET,
	type Discovery,
	type PollBudget,
	type WatchScope,
} from '../shared/approvals/pendingApprovals';
import type {
	ApprovalTriggerState,
	DenialResult,
	PlannedDenial,
	PlannedEmission,
} from '../shared/approvals/triggerState';
import type { LettaClient } from '../shared/transport/request';
import { approvalRequestedItem, denialItem } from './items';
import type { TriggerSettings } from './settings';

/** The steps of one poll that are not pure planning: budget, manual sample, denials, items. */

/** What a poll may spend, when n8n says (leaves the rest of a large backlog to the next poll). */
export function pollBudget(context: IPollFunctions): PollBudget {
	const budgetMs =
		typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined;
	if (!budgetMs || !Number.isFinite(budgetMs)) return UNLIMITED_BUDGET;
	const started = Date.now();
	return { exhausted: () => Date.now() - started >= budgetMs };
}

function describeWatch(watch: WatchScope): string {
	switch (watch.kind) {
		case 'agent':
			return `agent ${watch.agentId}${watch.includeConversations ? ' and its conversations' : ''}`;
		case 'conversations':
			return watch.conversationId
				? `conversation ${watch.conversationId} of agent ${watch.agentId}`
				: `the conversations of agent ${watch.agentId}`;
		default:
			return 'the agents of this credential';
	}
}

/** A test fetch shows one real request and changes no state (nothing counts as emitted). */
export function manualSample(
	context: IPollFunctions,
	discovery: Discovery,
	state: ApprovalTriggerState,
	settings: TriggerSettings,
): INodeExecutionData[][] {
	const [request] = discovery.pending;
	if (!request) {
		throw new NodeOperationError(
			context.getNode(),
			`No pending tool approval in ${describeWatch(settings.watch)}`,
			{
				description:
					'Nothing is waiting for a human right now. To get a test event, send a message to an agent whose tool requires approval (for example with Send Agent Message), then fetch again.',
			},
		);
	}
	const tracked = state.requests[approvalKey(request)];
	const item = approvalRequestedItem(
		{
			request,
			timesEmitted: tracked?.times_emitted ?? 0,
			reminder: false,
			firstSeenAt: tracked?.first_seen_at ?? new Date().toISOString(),
		},
		null,
	);
	return [[{ json: item }]];
}

export async function sendDenials(
	client: LettaClient,
	denials: PlannedDenial[],
	reason: string,
): Promise<DenialResult[]> {
	const results: DenialResult[] = [];
	// One at a time: denials are rare, and parallel ones could meet in a conversation lock.
	for (const denial of denials) {
		try {
			const sent = await denyApprovalRequest(client, denial.request, reason);
			results.push(
				'answeredMeanwhile' in sent
					? { denial, answeredMeanwhile: true }
					: { denial, outcome: sent.outcome },
			);
		} catch (error) {
			results.push({ denial, error: error as Error });
		}
	}
	return results;
}

/** When a request will be denied: its deadline, or null when the trigger never denies. */
function denyAt(emission: PlannedEmission, denyAfterMs: number): string | null {
	if (denyAfterMs <= 0) return null;
	const since = Date.parse(emission.request.requestedAt ?? emission.firstSeenAt);
	return new Date(since + denyAfterMs).toISOString();
}

/** The poll's output: new requests and reminders, then the denials worth reporting. */
export function pollItems(
	emissions: PlannedEmission[],
	denials: DenialResult[],
	settings: TriggerSettings,
): INodeExecutionData[] {
	const deniedAt = new Date().toISOString();
	return [
		...emissions.map((emission) => ({
			json: approvalRequestedItem(emission, denyAt(emission, settings.denyAfterMs)),
		})),
		...denials.map((result) => ({ json: denialItem(result, settings.denyReason, deniedAt) })),
	];
}
