import type { IDataObject } from 'n8n-workflow';

import { chain, errorOf, jsonOf, nodeErrorOf } from '../harness/runWorkflow';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import {
	answerNode,
	byId,
	emitted,
	pollTrigger,
	runLetta,
	sendNode,
	sim,
} from './approvals.helpers';

const control = sim();

beforeEach(async () => {
	await control.reset();
});

const approvalPosts = async () =>
	(await control.requests({ method: 'POST', pathContains: '/messages' })).filter((request) =>
		JSON.stringify(request.body).includes('"type":"approval"'),
	);

/** A pending approval seeded in the simulator, as the item the trigger would emit for it. */
async function triggerItem(
	agentId: string,
	conversationId?: string,
	text?: string,
): Promise<IDataObject> {
	await control.seedPendingApproval({ agentId, conversationId, text });
	const scope = conversationId
		? { scope: 'conversations', agentId: byId(agentId) }
		: { scope: 'agent', agentId: byId(agentId) };
	const [item] = emitted(await pollTrigger(scope));
	if (!item) throw new Error('the trigger emitted nothing');
	return item;
}

describe('Answer Approval: the whole loop', () => {
	it('Send -> Needs Approval -> Answer Approval (approve) -> Completed, on the agent endpoint', async () => {
		const result = await runLetta(
			[
				sendNode('Ask', { agentId: byId(AGENT_IDS.fileJanitor), text: '/tmp/report.txt' }),
				answerNode('Answer', { approve: true }),
			],
			chain('Start', ['Ask', 1], 'Answer'),
		);
		expect(errorOf(result)).toBeUndefined();
		const [asked] = jsonOf(result, 'Ask', 1);
		const [completed] = jsonOf(result, 'Answer', 0);
		expect(completed).toMatchObject({
			reply: 'Done: delete_file ran with {"path":"/tmp/report.txt"}',
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: null,
			already_answered: false,
			answered: {
				approval_request_id: (asked.answer_to as IDataObject).approval_request_id,
				tool_call_ids: (asked.answer_to as IDataObject).tool_call_ids,
			},
			answer_to: null,
		});
		expect(jsonOf(result, 'Answer', 1)).toEqual([]);

		const [post] = await approvalPosts();
		expect(post.path).toBe(`/v1/agents/${AGENT_IDS.fileJanitor}/messages`);
		expect(post.body).toEqual({
			messages: [
				{
					type: 'approval',
					approvals: [
						{
							type: 'approval',
							tool_call_id: (asked.answer_to as { tool_call_ids: string[] }).tool_call_ids[0],
							approve: true,
						},
					],
				},
			],
		});
	});

	it('Trigger item -> Answer Approval (deny, reason, decision from an expression) with no extra mapping', async () => {
		const item = await triggerItem(AGENT_IDS.fileJanitor, undefined, '/etc/hosts');
		const result = await runLetta(
			// The tool arguments are readable in expressions as "args" (n8n refuses "arguments").
			[
				answerNode('Answer', {
					approve: '={{ $json.decision === "approve" }}',
					reason: '={{ $json.why + " " + $json.pending_approvals[0].args.path }}',
				}),
			],
			chain('Start', 'Answer'),
			[{ json: { ...item, decision: 'deny', why: 'Not that file' } }],
		);
		expect(errorOf(result)).toBeUndefined();
		expect(jsonOf(result, 'Answer', 0)).toMatchObject([
			{
				reply:
					'I did not run delete_file: the request was denied with reason "Not that file /etc/hosts".',
				stop_reason: 'end_turn',
			},
		]);
		const [post] = await approvalPosts();
		expect(post.body).toEqual({
			messages: [
				{
					type: 'approval',
					approvals: [
						{
							type: 'approval',
							tool_call_id: (item.answer_to as { tool_call_ids: string[] }).tool_call_ids[0],
							approve: false,
							reason: 'Not that file /etc/hosts',
						},
					],
				},
			],
		});
		expect((await control.state()).pendingApprovals).toEqual([]);
	});

	it('answers every parallel call in one request, mixing a decision and a tool result', async () => {
		const item = await triggerItem(AGENT_IDS.releaseManager, undefined, '3.1.0');
		const [deploy, notify] = (item.answer_to as { tool_call_ids: string[] }).tool_call_ids;
		const result = await runLetta(
			[
				answerNode('Answer', {
					approve: true,
					perCallAnswers: JSON.stringify({
						[notify]: { tool_return: 'posted in #releases by hand', status: 'success' },
					}),
				}),
			],
			chain('Start', 'Answer'),
			[{ json: item }],
		);
		expect(errorOf(result)).toBeUndefined();
		expect(jsonOf(result, 'Answer', 0)).toMatchObject([
			{
				reply:
					'Done: deploy_release ran with {"version":"3.1.0"}\nnotify_channel returned: posted in #releases by hand',
			},
		]);
		const posts = await approvalPosts();
		expect(posts).toHaveLength(1);
		expect(posts[0].body).toEqual({
			messages: [
				{
					type: 'approval',
					approvals: [
						{ type: 'approval', tool_call_id: deploy, approve: true },
						{
							type: 'tool',
							tool_call_id: notify,
							tool_return: 'posted in #releases by hand',
							status: 'success',
						},
					],
				},
			],
		});
	});

	it('hands the agent a tool result (status error) instead of a decision', async () => {
		const item = await triggerItem(AGENT_IDS.fileJanitor);
		const result = await runLetta(
			[
				answerNode('Answer', {
					answerKind: 'toolReturn',
					toolReturn: 'disk is read-only',
					toolStatus: 'error',
					toolStderr: 'EROFS',
				}),
			],
			chain('Start', 'Answer'),
			[{ json: item }],
		);
		expect(jsonOf(result, 'Answer', 0)).toMatchObject([
			{ reply: 'delete_file failed: disk is read-only' },
		]);
		const [post] = await approvalPosts();
		expect(post.body).toMatchObject({
			messages: [
				{
					approvals: [
						{ type: 'tool', tool_return: 'disk is read-only', status: 'error', stderr: ['EROFS'] },
					],
				},
			],
		});
	});

	it('answers a conversation on the conversation endpoint, leaving the default conversation alone', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor, text: '/default' });
		const item = await triggerItem(AGENT_IDS.fileJanitor, CONVERSATION_IDS.janitorCleanup, '/conv');
		const result = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: item }],
		);
		expect(jsonOf(result, 'Answer', 0)).toMatchObject([
			{
				conversation_id: CONVERSATION_IDS.janitorCleanup,
				reply: 'Done: delete_file ran with {"path":"/conv"}',
			},
		]);
		const posts = await approvalPosts();
		expect(posts.map((p) => p.path)).toEqual([
			`/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`,
		]);
		expect(posts[0].body).toMatchObject({ streaming: false });
		// The default conversation's approval still waits.
		const { pendingApprovals } = await control.state();
		expect(pendingApprovals.map((p) => [p.agentId, p.conversationId])).toEqual([
			[AGENT_IDS.fileJanitor, null],
		]);
	});

	it('hides the agent and conversation pickers in Answer Approval mode', async () => {
		const { LettaSendAgentMessage } = await import(
			'../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node'
		);
		const properties = new LettaSendAgentMessage().description.properties;
		for (const name of ['agentId', 'conversationId']) {
			expect(properties.find((p) => p.name === name)?.displayOptions).toEqual({
				hide: { messageInput: ['answerApproval'] },
			});
		}
	});
});

/** A trigger item whose approval was answered (approve) once; the requests cleared after. */
async function answeredItem(): Promise<IDataObject> {
	const item = await triggerItem(AGENT_IDS.fileJanitor);
	const first = await runLetta(
		[answerNode('Answer', { approve: true })],
		chain('Start', 'Answer'),
		[{ json: item }],
	);
	expect(errorOf(first)).toBeUndefined();
	await control.clearRequests();
	return item;
}

describe('Answer Approval: errors', () => {
	it('says an approval was already answered, without failing and without sending again', async () => {
		const item = await answeredItem();

		const second = await runLetta(
			[answerNode('Answer', { approve: false })],
			chain('Start', 'Answer'),
			[{ json: item }],
		);
		expect(errorOf(second)).toBeUndefined();
		const [result] = jsonOf(second, 'Answer', 0);
		expect(result).toMatchObject({
			already_answered: true,
			stop_reason: null,
			agent_id: AGENT_IDS.fileJanitor,
			message: `This approval request was already answered on agent ${AGENT_IDS.fileJanitor} (default conversation); nothing was sent.`,
			previous_answers: [
				{
					tool_call_id: (item.answer_to as { tool_call_ids: string[] }).tool_call_ids[0],
					approve: true,
				},
			],
			now_pending: null,
		});
		expect(await approvalPosts()).toEqual([]);
	});

	it('Wait for Callback and Callback URL check the live state first: a processed answer is never sent again', async () => {
		const item = await answeredItem();

		for (const options of [
			{ waitMode: 'waitForCallback' },
			{ callbackUrl: 'http://127.0.0.1:9/hook' },
		]) {
			const again = await runLetta(
				[answerNode('Answer', { approve: true, options })],
				chain('Start', 'Answer'),
				[{ json: item }],
			);
			expect(errorOf(again)).toBeUndefined();
			expect(again.run.waitTill).toBeFalsy();
			const [result] = jsonOf(again, 'Answer', 0);
			expect(result).toMatchObject({ already_answered: true, stop_reason: null });
		}
		expect(await approvalPosts()).toEqual([]);
	});

	it('Wait for Callback sends a pending answer as a background run and waits', async () => {
		const item = await triggerItem(AGENT_IDS.fileJanitor);
		const result = await runLetta(
			[answerNode('Answer', { approve: true, options: { waitMode: 'waitForCallback' } })],
			chain('Start', 'Answer'),
			[{ json: item }],
		);
		expect(errorOf(result)).toBeUndefined();
		expect(result.run.waitTill).toBeInstanceOf(Date);
		const [post] = await approvalPosts();
		expect(post.path).toBe(`/v1/agents/${AGENT_IDS.fileJanitor}/messages/async`);
	});

	it('never resends a processed answer (on real Letta a resend starts a new turn), even after the agent moved on', async () => {
		const item = await triggerItem(AGENT_IDS.fileJanitor, undefined, '/tmp/first');
		const answer = async () =>
			await runLetta([answerNode('Answer', { approve: true })], chain('Start', 'Answer'), [
				{ json: item },
			]);
		expect(jsonOf(await answer(), 'Answer', 0)[0].already_answered).toBe(false);
		// The agent moves on: a new message asks for a new approval.
		const next = await runLetta(
			[sendNode('Send', { agentId: byId(AGENT_IDS.fileJanitor), text: '/tmp/second' })],
			chain('Start', 'Send'),
		);
		expect(jsonOf(next, 'Send', 1)).toHaveLength(1);
		const runsBefore = (await control.state()).runs.length;
		await control.clearRequests();

		const again = jsonOf(await answer(), 'Answer', 0)[0];
		expect(again).toMatchObject({
			already_answered: true,
			now_pending: { agent_id: AGENT_IDS.fileJanitor },
		});
		// A resend would be a POST and a new run (the simulator, like Letta, runs it on a keep-alive message).
		expect(await control.requests({ method: 'POST' })).toEqual([]);
		expect((await control.state()).runs).toHaveLength(runsBefore);
	});

	it('two items answering the same request: the second is already answered', async () => {
		const item = await triggerItem(AGENT_IDS.releaseManager, CONVERSATION_IDS.releaseWeekly);
		const result = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: item }, { json: item }],
		);
		const items = jsonOf(result, 'Answer', 0);
		expect(items.map((i) => i.already_answered)).toEqual([false, true]);
		expect(await approvalPosts()).toHaveLength(1);
	});

	it('fails clearly when nothing is pending and nothing was answered', async () => {
		const answerTo = {
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: null,
			approval_request_id: 'message-gone',
			tool_call_ids: ['call-gone'],
		};
		const result = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: { answer_to: answerTo } }],
		);
		const error = nodeErrorOf(result, 'Answer');
		expect(error?.message).toBe(
			`Nothing to answer: agent ${AGENT_IDS.fileJanitor} (default conversation) is not waiting for a tool approval [item 0]`,
		);
		expect(error?.description).toMatch(/call-gone/);
		expect(await approvalPosts()).toEqual([]);
	});

	it('lists expected and given ids when they do not match the pending request', async () => {
		const item = await triggerItem(AGENT_IDS.releaseManager);
		const [deploy, notify] = (item.answer_to as { tool_call_ids: string[] }).tool_call_ids;
		const partial = { ...(item.answer_to as IDataObject), tool_call_ids: [deploy] };
		const result = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: { answer_to: partial } }],
		);
		const error = nodeErrorOf(result, 'Answer');
		expect(error?.message).toBe(
			`The tool call IDs do not match the approval agent ${AGENT_IDS.releaseManager} (default conversation) is waiting for [item 0]`,
		);
		expect(error?.description).toContain(`Expected: ${deploy}, ${notify}`);
		expect(error?.description).toContain(`Given: ${deploy}.`);
		expect(await approvalPosts()).toEqual([]);
	});

	it('refuses an item without an answer_to block before any request', async () => {
		const result = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: { text: 'hello' } }],
		);
		expect(nodeErrorOf(result, 'Answer')?.message).toMatch(
			/^"Approval Request" does not say which approval to answer/,
		);
		expect(await control.requests()).toEqual([]);
	});

	it('puts the error on the item under continue-on-fail and answers the others', async () => {
		const item = await triggerItem(AGENT_IDS.fileJanitor);
		const bogus = {
			answer_to: { ...(item.answer_to as IDataObject), tool_call_ids: ['call-wrong'] },
		};
		const result = await runLetta(
			[answerNode('Answer', { approve: true }, { onError: 'continueRegularOutput' })],
			chain('Start', 'Answer'),
			[{ json: bogus }, { json: item }],
		);
		expect(errorOf(result)).toBeUndefined();
		const items = jsonOf(result, 'Answer', 0);
		expect(items[0].error).toMatch(/do not match/);
		expect(items[1]).toMatchObject({ stop_reason: 'end_turn', already_answered: false });
	});
});
