import {
	APPROVAL_STATE_KEY,
	emptyApprovalState,
	planPoll,
	readApprovalState,
	settleDenials,
	writeApprovalState,
	type ApprovalTriggerState,
} from '../../../../nodes/shared/approvals/triggerState';
import {
	approvalKey,
	type Discovery,
	type PendingApprovalRequest,
} from '../../../../nodes/shared/approvals/pendingApprovals';

const MINUTE = 60_000;
const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const agentId = 'agent-11111111-1111-4111-8111-111111111108';

const pending = (
	callId: string,
	requestedAt: string | null = new Date(T0).toISOString(),
): PendingApprovalRequest => ({
	agentId,
	agentName: 'File Janitor',
	conversationId: null,
	runId: `run-${callId}`,
	approvalRequestId: `message-${callId}`,
	requestedAt,
	toolCalls: [
		{
			tool_call_id: callId,
			tool_name: 'delete_file',
			arguments: { path: '/tmp/x' },
			approval_request_id: `message-${callId}`,
			run_id: `run-${callId}`,
		},
	],
});

const found = (
	requests: PendingApprovalRequest[],
	complete = true,
	answeredRuns: Record<string, string> = {},
): Discovery => ({
	pending: requests,
	answeredRuns,
	complete,
});

const settings = (now: number, remindAfterMs = 0, denyAfterMs = 0) => ({
	now,
	remindAfterMs,
	denyAfterMs,
});

describe('planPoll: exactly once', () => {
	it('emits a new request once, then not again while it stays pending', () => {
		const a = pending('a');
		const first = planPoll(emptyApprovalState(), found([a]), settings(T0));
		expect(
			first.emit.map((e) => [e.request.toolCalls[0].tool_call_id, e.timesEmitted, e.reminder]),
		).toEqual([['a', 1, false]]);
		const second = planPoll(first.next, found([a]), settings(T0 + MINUTE));
		expect(second.emit).toEqual([]);
		expect(second.next.requests[approvalKey(a)].times_emitted).toBe(1);
	});

	it('forgets a request the poll no longer finds, so the state only holds the backlog', () => {
		const a = pending('a');
		const b = pending('b');
		const first = planPoll(emptyApprovalState(), found([a, b]), settings(T0));
		const second = planPoll(first.next, found([b]), settings(T0 + MINUTE));
		expect(Object.keys(second.next.requests)).toEqual([approvalKey(b)]);
	});

	it('keeps what an incomplete poll did not reach, and its answered runs', () => {
		const a = pending('a');
		const state: ApprovalTriggerState = {
			...planPoll(emptyApprovalState(), found([a]), settings(T0)).next,
			answeredRuns: { x: 'run-x' },
		};
		const partial = planPoll(state, found([], false, { y: 'run-y' }), settings(T0 + MINUTE));
		expect(Object.keys(partial.next.requests)).toEqual([approvalKey(a)]);
		expect(partial.next.answeredRuns).toEqual({ x: 'run-x', y: 'run-y' });
		const full = planPoll(state, found([], true, { y: 'run-y' }), settings(T0 + MINUTE));
		expect(full.next.answeredRuns).toEqual({ y: 'run-y' });
	});

	it('reminds when still pending after the remind period, counting emissions', () => {
		const a = pending('a');
		const first = planPoll(emptyApprovalState(), found([a]), settings(T0, 10 * MINUTE));
		expect(planPoll(first.next, found([a]), settings(T0 + 9 * MINUTE, 10 * MINUTE)).emit).toEqual(
			[],
		);
		const reminded = planPoll(first.next, found([a]), settings(T0 + 10 * MINUTE, 10 * MINUTE));
		expect(reminded.emit.map((e) => [e.timesEmitted, e.reminder])).toEqual([[2, true]]);
		// The next reminder counts from this one.
		expect(
			planPoll(reminded.next, found([a]), settings(T0 + 15 * MINUTE, 10 * MINUTE)).emit,
		).toEqual([]);
	});

	it('does not change the state it was given', () => {
		const state = emptyApprovalState();
		planPoll(state, found([pending('a')]), settings(T0));
		expect(state).toEqual(emptyApprovalState());
	});
});

describe('planPoll: deadlines', () => {
	it('plans a denial instead of an emission once the request is older than the deadline', () => {
		const a = pending('a');
		const early = planPoll(
			emptyApprovalState(),
			found([a]),
			settings(T0 + 59 * MINUTE, 0, 60 * MINUTE),
		);
		expect(early.emit).toHaveLength(1);
		expect(early.deny).toEqual([]);
		const late = planPoll(early.next, found([a]), settings(T0 + 60 * MINUTE, 0, 60 * MINUTE));
		expect(late.emit).toEqual([]);
		expect(late.deny).toEqual([
			{
				request: a,
				key: approvalKey(a),
				since: '2025-03-01T10:00:00.000Z',
				deadline: '2025-03-01T11:00:00.000Z',
			},
		]);
	});

	it('counts from when the trigger first saw a request that has no date', () => {
		const a = pending('a', null);
		const first = planPoll(emptyApprovalState(), found([a]), settings(T0, 0, 5 * MINUTE));
		expect(first.deny).toEqual([]);
		expect(
			planPoll(first.next, found([a]), settings(T0 + 5 * MINUTE, 0, 5 * MINUTE)).deny,
		).toHaveLength(1);
	});
});

describe('settleDenials', () => {
	const a = pending('a');
	const b = pending('b');
	const c = pending('c');
	const plan = planPoll(
		emptyApprovalState(),
		found([a, b, c]),
		settings(T0 + 2 * MINUTE, 0, MINUTE),
	);
	const [denyA, denyB, denyC] = plan.deny;

	it('drops sent and answered-meanwhile denials, reports a failure once and keeps it for a retry', () => {
		const failure = new Error('Letta API error 500');
		const first = settleDenials(
			plan.next,
			[
				{ denial: denyA, outcome: { reply: 'ok' } },
				{ denial: denyB, error: failure },
				{ denial: denyC, answeredMeanwhile: true },
			],
			T0 + 2 * MINUTE,
		);
		expect(first.report.map((r) => r.denial.key)).toEqual([denyA.key, denyB.key]);
		expect(Object.keys(first.state.requests)).toEqual([denyB.key]);
		expect(first.state.requests[denyB.key].denial_failed_at).toBe('2025-03-01T10:02:00.000Z');

		const again = settleDenials(first.state, [{ denial: denyB, error: failure }], T0 + 3 * MINUTE);
		expect(again.report).toEqual([]);
		expect(Object.keys(again.state.requests)).toEqual([denyB.key]);
	});
});

describe('static data', () => {
	it('round-trips through the node static data, under one key', () => {
		const plan = planPoll(
			emptyApprovalState(),
			found([pending('a')], true, { k: 'run-k' }),
			settings(T0),
		);
		const staticData = {};
		writeApprovalState(staticData, plan.next);
		expect(Object.keys(staticData)).toEqual([APPROVAL_STATE_KEY]);
		expect(readApprovalState(JSON.parse(JSON.stringify(staticData)))).toEqual(plan.next);
	});

	it('starts fresh from missing, foreign or older data', () => {
		expect(readApprovalState({})).toEqual(emptyApprovalState());
		expect(readApprovalState({ [APPROVAL_STATE_KEY]: 'nonsense' })).toEqual(emptyApprovalState());
		expect(
			readApprovalState({ [APPROVAL_STATE_KEY]: { version: 0, requests: { x: {} } } }),
		).toEqual(emptyApprovalState());
	});
});
