/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
import type { IDataObject } from 'n8n-workflow';

import { APPROVAL_STATE_KEY } from '../../nodes/shared/approvals/triggerState';
import { LettaTrigger } from '../../nodes/LettaTrigger/LettaTrigger.node';
import { chain, jsonOf } from '../harness/runWorkflow';
import {
	AGENT_IDS,
	APPROVAL_TOOL_NAMES,
	CONVERSATION_IDS,
	SIMULATOR_API_KEY,
} from '../simulator/fixtures';
import { byId, emitted, pollTrigger, runLetta, sendNode, sim } from './approvals.helpers';

const control = sim();
const ALL_AGENTS = { scope: 'allAgents' };

beforeEach(async () => {
	await control.reset();
});

const ids = (items: IDataObject[]) =>
	items.map((item) => item.approval_request_id as string).sort();

describe('Letta Trigger: description', () => {
	it('follows the trigger conventions: name ends in Trigger, polling, no inputs, not a tool', () => {
		const { description } = new LettaTrigger();
		expect(description.name).toBe('lettaTrigger');
		expect(description.displayName).toMatch(/Trigger$/);
		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.group).toEqual(['trigger']);
		expect(description.usableAsTool).toBeUndefined();
	});
});

describe('Letta Trigger: finding approvals', () => {
	it('emits one item per pending request of all agents, with everything needed to answer it', async () => {
		const janitor = await control.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			text: '/tmp/old.log',
		});
		const release = await control.seedPendingApproval({
			agentId: AGENT_IDS.releaseManager,
			text: '2.0.0',
		});

		const result = await pollTrigger(ALL_AGENTS);
		expect(result.error).toBeUndefined();
		const items = emitted(result);
		expect(ids(items)).toEqual([janitor.approvalRequest.id, release.approvalRequest.id].sort());

		const janitorItem = items.find((item) => item.agent_id === AGENT_IDS.fileJanitor)!;
		const [call] = janitor.approvalRequest.tool_calls;
		expect(janitorItem).toEqual({
			event: 'approval_requested',
			summary: `File Janitor wants to run delete_file({"path":"/tmp/old.log"})`,
			agent_id: AGENT_IDS.fileJanitor,
			agent_name: 'File Janitor',
			conversation_id: null,
			run_id: janitor.runId,
			approval_request_id: janitor.approvalRequest.id,
			requested_at: janitor.approvalRequest.date,
			pending_approvals: [
				{
					tool_call_id: call.tool_call_id,
					tool_name: APPROVAL_TOOL_NAMES.deleteFile,
					arguments: { path: '/tmp/old.log' },
					// readable in n8n expressions, which refuse a property named "arguments"
					args: { path: '/tmp/old.log' },
					approval_request_id: janitor.approvalRequest.id,
					run_id: janitor.runId,
				},
			],
			answer_to: {
				agent_id: AGENT_IDS.fileJanitor,
				conversation_id: null,
				approval_request_id: janitor.approvalRequest.id,
				tool_call_ids: [call.tool_call_id],
			},
			reminder: false,
			times_emitted: 1,
			first_seen_at: expect.any(String),
			deny_at: null,
		});
		// Parallel calls come together in one item.
		const releaseItem = items.find((item) => item.agent_id === AGENT_IDS.releaseManager)!;
		expect((releaseItem.answer_to as IDataObject).tool_call_ids).toEqual(
			release.approvalRequest.tool_calls.map((c) => c.tool_call_id),
		);
		expect((releaseItem.pending_approvals as IDataObject[]).map((c) => c.tool_name)).toEqual([
			APPROVAL_TOOL_NAMES.deployRelease,
			APPROVAL_TOOL_NAMES.notifyChannel,
		]);

		// One listing request found both (no per-agent reads).
		const reads = await control.requests({ method: 'GET' });
		expect(reads.map((r) => r.path)).toEqual(['/v1/agents/']);
		expect(reads[0].query).toMatchObject({
			last_stop_reason: ['requires_approval'],
			include: ['agent.pending_approval', 'agent.tags'],
		});

		// The next poll emits nothing: n8n then starts no execution.
		const again = await pollTrigger(ALL_AGENTS, result.staticData);
		expect(again.error).toBeUndefined();
		expect(again.output).toBeNull();
	});

	it('finds an approval asked through Send Agent Message (a real run), and forgets it once answered', async () => {
		const first = await pollTrigger(ALL_AGENTS);
		expect(first.output).toBeNull();
		const run = await runLetta(
			[sendNode('Send', { agentId: byId(AGENT_IDS.fileJanitor), text: '/var/tmp/cache' })],
			chain('Start', 'Send'),
		);
		const [needsApproval] = jsonOf(run, 'Send', 1);
		const second = await pollTrigger(ALL_AGENTS, first.staticData);
		const [item] = emitted(second);
		// The same request, the same answer_to as the Needs Approval output gave.
		expect(item.answer_to).toEqual(needsApproval.answer_to);
		expect(item.run_id).toBe(needsApproval.run_id);
		expect(item.pending_approvals).toEqual(
			(needsApproval.pending_approvals as IDataObject[]).map((call) => ({
				...call,
				args: call.arguments,
			})),
		);
		// The node static data holds only pending requests.
		const state = second.nodeStaticData[APPROVAL_STATE_KEY] as IDataObject;
		expect(Object.keys(state.requests as IDataObject)).toHaveLength(1);
		const [toolCallId] = (item.answer_to as { tool_call_ids: string[] }).tool_call_ids;

		// Answer it outside n8n; the next poll drops it from the state and emits nothing.
		const response = await fetch(
			`${process.env.LETTA_API_URL}/v1/agents/${AGENT_IDS.fileJanitor}/messages`,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${SIMULATOR_API_KEY}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					messages: [
						{
							type: 'approval',
							approvals: [{ type: 'approval', tool_call_id: toolCallId, approve: true }],
						},
					],
				}),
			},
		);
		expect(response.status).toBe(200);
		const third = await pollTrigger(ALL_AGENTS, second.staticData);
		expect(third.output).toBeNull();
		expect((third.nodeStaticData[APPROVAL_STATE_KEY] as IDataObject).requests).toEqual({});
	});

	it('filters all agents by tags and by a list of agents', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		await control.seedPendingApproval({ agentId: AGENT_IDS.releaseManager });
		// Customer Support has no approval tool, but a seeded approval still blocks it.
		await control.seedPendingApproval({ agentId: AGENT_IDS.customerSupport });

		const byTagResult = await pollTrigger({ ...ALL_AGENTS, agentFilter: 'tags', tags: 'ops' });
		expect(byTagResult.error).toBeUndefined();
		const byTag = emitted(byTagResult);
		expect(byTag.map((item) => item.agent_id).sort()).toEqual(
			[AGENT_IDS.fileJanitor, AGENT_IDS.releaseManager].sort(),
		);
		const allTags = emitted(
			await pollTrigger({
				...ALL_AGENTS,
				agentFilter: 'tags',
				tags: 'support, prod',
				matchAllTags: true,
			}),
		);
		expect(allTags.map((item) => item.agent_id)).toEqual([AGENT_IDS.customerSupport]);
		const picked = emitted(
			await pollTrigger({
				...ALL_AGENTS,
				agentFilter: 'agents',
				agentIds: [AGENT_IDS.releaseManager],
			}),
		);
		expect(picked.map((item) => item.agent_id)).toEqual([AGENT_IDS.releaseManager]);
	});

	it('watches one agent: its default conversation, and its conversations only when asked', async () => {
		const inDefault = await control.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			text: '/a',
		});
		const inConversation = await control.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			conversationId: CONVERSATION_IDS.janitorCleanup,
			text: '/b',
		});
		await control.seedPendingApproval({ agentId: AGENT_IDS.releaseManager });

		const agentOnly = emitted(
			await pollTrigger({ scope: 'agent', agentId: byId(AGENT_IDS.fileJanitor) }),
		);
		expect(ids(agentOnly)).toEqual([inDefault.approvalRequest.id]);

		const withConversations = emitted(
			await pollTrigger({
				scope: 'agent',
				agentId: byId(AGENT_IDS.fileJanitor),
				includeConversations: true,
			}),
		);
		expect(ids(withConversations)).toEqual(
			[inDefault.approvalRequest.id, inConversation.approvalRequest.id].sort(),
		);
	});

	it("watches one agent's conversations: conversation scope in answer_to, the default conversation left out", async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor, text: '/default' });
		const inConversation = await control.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			conversationId: CONVERSATION_IDS.janitorCleanup,
			text: '/conv',
		});
		const result = await pollTrigger({
			scope: 'conversations',
			agentId: byId(AGENT_IDS.fileJanitor),
		});
		const items = emitted(result);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			agent_id: AGENT_IDS.fileJanitor,
			agent_name: 'File Janitor',
			conversation_id: CONVERSATION_IDS.janitorCleanup,
			run_id: inConversation.runId,
			approval_request_id: inConversation.approvalRequest.id,
			answer_to: {
				agent_id: AGENT_IDS.fileJanitor,
				conversation_id: CONVERSATION_IDS.janitorCleanup,
			},
		});
		// Candidates come from the runs listing and are confirmed against the conversation.
		const paths = (await control.requests({ method: 'GET' })).map((r) => r.path);
		expect(paths).toContain('/v1/runs/');
		expect(paths).toContain(`/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`);

		// One picked conversation.
		const picked = emitted(
			await pollTrigger({
				scope: 'conversations',
				agentId: byId(AGENT_IDS.fileJanitor),
				conversationId: byId(CONVERSATION_IDS.janitorCleanup),
			}),
		);
		expect(ids(picked)).toEqual([inConversation.approvalRequest.id]);
	});

	it('all agents with conversations: finds conversation approvals, and skips runs confirmed answered before', async () => {
		const inConversation = await control.seedPendingApproval({
			agentId: AGENT_IDS.releaseManager,
			conversationId: CONVERSATION_IDS.releaseWeekly,
		});
		const first = await pollTrigger({ ...ALL_AGENTS, includeConversations: true });
		expect(ids(emitted(first))).toEqual([inConversation.approvalRequest.id]);

		// Answer it; the poll after confirms it answered once, later polls do not re-read it.
		const [a, b] = inConversation.approvalRequest.tool_calls.map((call) => call.tool_call_id);
		const answer = await fetch(
			`${process.env.LETTA_API_URL}/v1/conversations/${CONVERSATION_IDS.releaseWeekly}/messages`,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${SIMULATOR_API_KEY}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					streaming: false,
					messages: [
						{
							type: 'approval',
							approvals: [
								{ type: 'approval', tool_call_id: a, approve: true },
								{ type: 'approval', tool_call_id: b, approve: false },
							],
						},
					],
				}),
			},
		);
		expect(answer.status).toBe(200);
		const second = await pollTrigger(
			{ ...ALL_AGENTS, includeConversations: true },
			first.staticData,
		);
		expect(second.output).toBeNull();
		await control.clearRequests();
		const third = await pollTrigger(
			{ ...ALL_AGENTS, includeConversations: true },
			second.staticData,
		);
		expect(third.output).toBeNull();
		const paths = (await control.requests({ method: 'GET' })).map((r) => r.path);
		expect(paths.filter((path) => path.includes('/conversations/'))).toEqual([]);
	});
});

describe('Letta Trigger: manual test fetch', () => {
	it('returns one real pending approval and changes no state', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const result = await pollTrigger(ALL_AGENTS, {}, 'manual');
		expect(result.error).toBeUndefined();
		expect(ids(emitted(result))).toEqual([seeded.approvalRequest.id]);
		expect(result.nodeStaticData[APPROVAL_STATE_KEY]).toBeUndefined();
		// So the first real poll still emits it.
		expect(ids(emitted(await pollTrigger(ALL_AGENTS, result.staticData)))).toEqual([
			seeded.approvalRequest.id,
		]);
	});

	it('says clearly when nothing is pending', async () => {
		const result = await pollTrigger(
			{ scope: 'agent', agentId: byId(AGENT_IDS.fileJanitor) },
			{},
			'manual',
		);
		expect(result.error?.message).toBe(
			`No pending tool approval in agent ${AGENT_IDS.fileJanitor}`,
		);
		expect((result.error as { description?: string }).description).toMatch(
			/send a message to an agent whose tool requires approval/,
		);
	});
});

describe('Letta Trigger: reminders and deadlines', () => {
	it('emits a request again, marked as a reminder, when still pending after "remind after"', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const parameters = { ...ALL_AGENTS, options: { remindAfterMinutes: 0.01 } };
		const first = await pollTrigger(parameters);
		expect(emitted(first)).toMatchObject([{ reminder: false, times_emitted: 1 }]);
		expect((await pollTrigger(parameters, first.staticData)).output).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 700));
		const reminded = await pollTrigger(parameters, first.staticData);
		expect(emitted(reminded)).toMatchObject([
			{ approval_request_id: seeded.approvalRequest.id, reminder: true, times_emitted: 2 },
		]);
	});

	it('denies a request pending past the deadline, reports it with the agent reply, and unblocks the agent', async () => {
		const seeded = await control.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			conversationId: CONVERSATION_IDS.janitorCleanup,
			text: '/etc/passwd',
		});
		const parameters = {
			scope: 'conversations',
			agentId: byId(AGENT_IDS.fileJanitor),
			options: { denyAfterMinutes: 0.005, denyReason: 'Nobody answered within the deadline' },
		};
		const first = await pollTrigger(parameters);
		// Within the deadline: emitted normally, with when it will be denied.
		const [requested] = emitted(first);
		expect(requested).toMatchObject({ event: 'approval_requested' });
		expect(Date.parse(requested.deny_at as string)).toBe(
			Date.parse(seeded.approvalRequest.date) + 300,
		);

		await new Promise((resolve) => setTimeout(resolve, 400));
		const second = await pollTrigger(parameters, first.staticData);
		expect(second.error).toBeUndefined();
		const [denied] = emitted(second);
		expect(denied).toMatchObject({
			event: 'approval_denied',
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: CONVERSATION_IDS.janitorCleanup,
			approval_request_id: seeded.approvalRequest.id,
			answer_to: null,
			denied: { reason: 'Nobody answered within the deadline' },
			outcome: {
				stop_reason: 'end_turn',
				reply:
					'I did not run delete_file: the request was denied with reason "Nobody answered within the deadline".',
			},
		});
		// Sent to the conversation that asked, every call denied in one request.
		const posts = await control.requests({ method: 'POST', pathContains: '/messages' });
		expect(posts.map((r) => r.path)).toEqual([
			`/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`,
		]);
		expect(posts[0].body).toEqual({
			streaming: false,
			messages: [
				{
					type: 'approval',
					approvals: [
						{
							type: 'approval',
							tool_call_id: seeded.approvalRequest.tool_calls[0].tool_call_id,
							approve: false,
							reason: 'Nobody answered within the deadline',
						},
					],
				},
			],
		});
		expect((await control.state()).pendingApprovals).toEqual([]);
		// Reported once.
		expect((await pollTrigger(parameters, second.staticData)).output).toBeNull();
	});

	it('reports a denial that fails once, keeps the request, and denies it on a later poll', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const parameters = { ...ALL_AGENTS, options: { denyAfterMinutes: 0.0001 } };
		await new Promise((resolve) => setTimeout(resolve, 50));
		await control.addFault({ status: 500, method: 'POST', pathContains: '/messages' });
		const first = await pollTrigger(parameters);
		expect(emitted(first)).toMatchObject([
			{ event: 'approval_denial_failed', error: expect.stringMatching(/500/) },
		]);
		expect((emitted(first)[0].answer_to as IDataObject).agent_id).toBe(AGENT_IDS.fileJanitor);
		const second = await pollTrigger(parameters, first.staticData);
		expect(emitted(second)).toMatchObject([
			{ event: 'approval_denied', outcome: { stop_reason: 'end_turn' } },
		]);
		expect((await control.state()).pendingApprovals).toEqual([]);
	});
});

describe('Letta Trigger: errors', () => {
	it('fails the poll with a fix-it message for a bad agent id, before any request', async () => {
		const result = await pollTrigger({ scope: 'agent', agentId: byId('agent-1') });
		expect(result.error?.message).toBe('"agent-1" is not a Letta agent ID');
		expect(await control.requests()).toEqual([]);
	});

	it('fails the poll (and emits nothing) when Letta keeps failing', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		await control.addFault({ status: 503, count: 10, retryAfterSeconds: 0 });
		const result = await pollTrigger(ALL_AGENTS);
		expect(result.output).toBeNull();
		expect(result.error?.message).toMatch(/503/);
		expect(result.nodeStaticData[APPROVAL_STATE_KEY]).toBeUndefined();
	});
});
