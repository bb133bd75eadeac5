/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
import type { IDataObject } from 'n8n-workflow';

import { APPROVAL_STATE_KEY } from '../../nodes/shared/approvals/triggerState';
import type { SimulatorStateSnapshot } from '../simulator/control';
import { AGENT_IDS, CONVERSATION_IDS, SIMULATOR_API_KEY } from '../simulator/fixtures';
import { emitted, pollTrigger, sim } from './approvals.helpers';

/**
 * 50 polls of one active workflow while approvals come and go: every poll is a restart
 * (a new n8n Workflow built from static data that went through JSON, as n8n stores it),
 * some polls meet 503s the transport retries away, some fail part-way. Every approval
 * request must be emitted exactly once: none lost, none repeated.
 */

const control = sim();
const POLLS = 50;
const parameters = { scope: 'allAgents', includeConversations: true };

/** Where approvals are seeded in turn: default conversations and conversations. */
const SCOPES: Array<{ agentId: string; conversationId?: string }> = [
	{ agentId: AGENT_IDS.fileJanitor },
	{ agentId: AGENT_IDS.releaseManager, conversationId: CONVERSATION_IDS.releaseWeekly },
	{ agentId: AGENT_IDS.customerSupport },
	{ agentId: AGENT_IDS.fileJanitor, conversationId: CONVERSATION_IDS.janitorCleanup },
	{ agentId: AGENT_IDS.releaseManager },
	{ agentId: AGENT_IDS.customerSupport, conversationId: CONVERSATION_IDS.supportBilling },
];

type Pending = SimulatorStateSnapshot['pendingApprovals'][number];

async function answer(pending: Pending): Promise<void> {
	const path = pending.conversationId
		? `/v1/conversations/${pending.conversationId}/messages`
		: `/v1/agents/${pending.agentId}/messages`;
	const response = await fetch(`${process.env.LETTA_API_URL}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SIMULATOR_API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			...(pending.conversationId ? { streaming: false } : {}),
			messages: [
				{
					type: 'approval',
					approvals: pending.toolCalls.map((call) => ({
						type: 'approval',
						tool_call_id: call.tool_call_id,
						approve: true,
					})),
				},
			],
		}),
	});
	if (response.status !== 200)
		throw new Error(`answering failed: ${response.status} ${await response.text()}`);
}

beforeEach(async () => {
	await control.reset();
});

it('emits each approval request exactly once over 50 polls, with 503s, failed polls and a restart before every poll', async () => {
	const emissions = new Map<string, number>();
	const seeded = new Set<string>();
	let staticData: IDataObject = {};
	let nextScope = 0;
	let failedPolls = 0;
	let retriedPolls = 0;

	for (let poll = 0; poll < POLLS; poll++) {
		// The world changes between polls: new requests, and answers to requests already seen.
		const { pendingApprovals } = await control.state();
		if (poll % 3 === 0) {
			const busy = new Set(
				pendingApprovals.map((p) => `${p.agentId}/${p.conversationId ?? 'default'}`),
			);
			for (let tries = 0; tries < SCOPES.length; tries++) {
				const scope = SCOPES[nextScope++ % SCOPES.length];
				if (busy.has(`${scope.agentId}/${scope.conversationId ?? 'default'}`)) continue;
				seeded.add(
					(await control.seedPendingApproval({ ...scope, text: `poll ${poll}` })).approvalRequest
						.id,
				);
				break;
			}
		}
		if (poll % 4 === 3) {
			const seen = pendingApprovals.find((p) => emissions.has(p.approvalRequest.id));
			if (seen) await answer(seen);
		}

		// Faults: retried away within the poll, or failing the poll after its first request.
		if (poll % 5 === 1) {
			await control.addFault({ status: 503, count: 2, retryAfterSeconds: 0 });
			retriedPolls++;
		} else if (poll % 7 === 3) {
			await control.addFault({
				status: 503,
				count: 10,
				retryAfterSeconds: 0,
				pathContains: '/v1/runs/',
			});
		} else if (poll % 11 === 5) {
			await control.addFault({
				status: 503,
				count: 10,
				retryAfterSeconds: 0,
				pathContains: '/messages',
			});
		}

		const result = await pollTrigger(parameters, staticData);
		await control.clearFaults();
		if (result.error) {
			failedPolls++;
			expect(result.output).toBeNull();
			expect(result.error.message).toMatch(/503|overloaded/);
		}
		for (const item of emitted(result)) {
			const id = item.approval_request_id as string;
			emissions.set(id, (emissions.get(id) ?? 0) + 1);
		}
		// What the failed poll left is what the next poll starts from (n8n keeps it in memory).
		staticData = result.staticData;
	}
	// One last clean poll picks up whatever the last failures held back.
	const last = await pollTrigger(parameters, staticData);
	expect(last.error).toBeUndefined();
	for (const item of emitted(last)) {
		const id = item.approval_request_id as string;
		emissions.set(id, (emissions.get(id) ?? 0) + 1);
	}

	const duplicates = [...emissions].filter(([, count]) => count !== 1);
	expect(duplicates).toEqual([]);
	expect([...emissions.keys()].sort()).toEqual([...seeded].sort());
	expect(seeded.size).toBe(17);
	expect(failedPolls).toBe(9);
	expect(retriedPolls).toBe(10);

	// The state holds exactly the requests still pending, nothing more.
	const { pendingApprovals } = await control.state();
	const state = last.nodeStaticData[APPROVAL_STATE_KEY] as {
		requests: Record<string, { approval_request_id: string }>;
	};
	expect(
		Object.values(state.requests)
			.map((r) => r.approval_request_id)
			.sort(),
	).toEqual(pendingApprovals.map((p) => p.approvalRequest.id).sort());
});
