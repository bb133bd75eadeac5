import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { denyApprovalRequest } from '../shared/approvals/delivery';
import {
	planPoll,
	readApprovalState,
	settleDenials,
	writeApprovalState,
	type DenialResult,
	type PlannedDenial,
} from '../shared/approvals/triggerState';
import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import {
	approvalKey,
	discoverPendingApprovals,
	UNLIMITED_BUDGET,
	type PollBudget,
	type WatchScope,
} from '../shared/approvals/pendingApprovals';
import {
	createLettaClient,
	LETTA_CREDENTIAL_TYPE,
	type LettaClient,
} from '../shared/transport/request';
import { approvalRequestedItem, denialItem } from './items';
import { getAgents } from '../shared/methods/loadOptions';
import { lettaTriggerProperties } from './properties';
import { readTriggerSettings } from './settings';

/** What a poll may spend, when n8n says (leaves the rest of a large backlog to the next poll). */
function pollBudget(context: IPollFunctions): PollBudget {
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

async function sendDenials(
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

export class LettaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta Trigger',
		name: 'lettaTrigger',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "approvals: " + $parameter["scope"] }}',
		description:
			'Starts a workflow when a Letta agent waits for a human to approve a tool call, once per request',
		defaults: { name: 'Letta Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		properties: lettaTriggerProperties,
	};

	methods = {
		listSearch: { searchAgents, searchConversations },
		loadOptions: { getAgents },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readTriggerSettings(this);
		const client = await createLettaClient(this);
		const nodeData = this.getWorkflowStaticData('node');
		const state = readApprovalState(nodeData);

		// Reads only, and throws before anything is emitted or stored: a failed poll changes nothing.
		const discovery = await discoverPendingApprovals(
			client,
			settings.watch,
			state.answeredRuns,
			pollBudget(this),
		);

		if (this.getMode() === 'manual') {
			// A test fetch shows one real request and changes no state (nothing counts as emitted).
			const [request] = discovery.pending;
			if (!request) {
				throw new NodeOperationError(
					this.getNode(),
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

		const now = Date.now();
		const plan = planPoll(state, discovery, {
			now,
			remindAfterMs: settings.remindAfterMs,
			denyAfterMs: settings.denyAfterMs,
		});
		const settled = settleDenials(
			plan.next,
			await sendDenials(client, plan.deny, settings.denyReason),
			Date.now(),
		);

		const deniedAt = new Date().toISOString();
		const items: INodeExecutionData[] = [
			...plan.emit.map((emission) => ({
				json: approvalRequestedItem(
					emission,
					settings.denyAfterMs > 0
						? new Date(
								Date.parse(emission.request.requestedAt ?? emission.firstSeenAt) +
									settings.denyAfterMs,
							).toISOString()
						: null,
				),
			})),
			...settled.report.map((result) => ({
				json: denialItem(result, settings.denyReason, deniedAt),
			})),
		];
		writeApprovalState(nodeData, settled.state);
		return items.length ? [items] : null;
	}
}
