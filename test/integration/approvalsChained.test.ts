/**
 * Chained approvals in real n8n executions: the agent (Change Runner) asks approval for
 * backup_database, and its answer's continuation asks approval for migrate_schema. The
 * first Answer Approval must route that outcome to Needs Approval again, carrying the new
 * pending call and a fresh answer_to; answering that one reaches Completed with the reply.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { chain, errorOf, jsonOf } from '../harness/runWorkflow';
import { AGENT_IDS, APPROVAL_TOOL_NAMES } from '../simulator/fixtures';
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
const AGENT = AGENT_IDS.chainedOps;
const MIGRATE_ARGS = { database: 'orders', to_version: 'latest' };
const COMPLETED = 0;
const NEEDS_APPROVAL = 1;

beforeEach(async () => {
	await control.reset();
});

interface AnswerTo extends IDataObject {
	agent_id: string;
	conversation_id: string | null;
	approval_request_id: string;
	tool_call_ids: string[];
}

const answerToOf = (item: IDataObject): AnswerTo => item.answer_to as AnswerTo;

/** The approval answers the nodes sent, in order: [tool_call_id, approve, reason?] per item. */
async function sentAnswers(): Promise<Array<{ path: string; approvals: IDataObject[] }>> {
	const posts = await control.requests({ method: 'POST', pathContains: '/messages' });
	return posts
		.filter((request) => JSON.stringify(request.body).includes('"type":"approval"'))
		.map((request) => ({
			path: request.path,
			approvals: (request.body as { messages: Array<{ approvals: IDataObject[] }> }).messages[0]
				.approvals,
		}));
}

/** Send -> Needs Approval -> Answer (backup) -> Needs Approval -> Answer (migration), in one execution. */
async function runChain(secondAnswer: INodeParameters) {
	return await runLetta(
		[
			sendNode('Ask', { agentId: byId(AGENT), text: 'orders' }),
			answerNode('Answer Backup', { approve: true }),
			answerNode('Answer Migration', secondAnswer),
		],
		chain('Start', ['Ask', NEEDS_APPROVAL], ['Answer Backup', NEEDS_APPROVAL], 'Answer Migration'),
	);
}

describe('Answer Approval: chained approvals', () => {
	it('the answer to the first request goes out on Needs Approval with the second call; answering that one completes', async () => {
		const result = await runChain({ approve: true });
		expect(errorOf(result)).toBeUndefined();

		// The message asks for the backup.
		expect(jsonOf(result, 'Ask', COMPLETED)).toEqual([]);
		const [asked] = jsonOf(result, 'Ask', NEEDS_APPROVAL);
		expect(asked).toMatchObject({
			stop_reason: 'requires_approval',
			pending_approvals: [
				{ tool_name: APPROVAL_TOOL_NAMES.backupDatabase, args: { database: 'orders' } },
			],
		});
		const first = answerToOf(asked);

		// Answering it: not Completed, but Needs Approval again, for migrate_schema.
		expect(jsonOf(result, 'Answer Backup', COMPLETED)).toEqual([]);
		const backupOutcome = jsonOf(result, 'Answer Backup', NEEDS_APPROVAL);
		expect(backupOutcome).toHaveLength(1);
		const [needsMigration] = backupOutcome;
		expect(needsMigration).toMatchObject({
			stop_reason: 'requires_approval',
			agent_id: AGENT,
			conversation_id: null,
			already_answered: false,
			answered: {
				approval_request_id: first.approval_request_id,
				tool_call_ids: first.tool_call_ids,
			},
		});
		const pending = needsMigration.pending_approvals as IDataObject[];
		expect(pending).toHaveLength(1);
		expect(pending[0]).toMatchObject({
			tool_name: APPROVAL_TOOL_NAMES.migrateSchema,
			args: MIGRATE_ARGS,
			arguments: MIGRATE_ARGS,
		});
		const second = answerToOf(needsMigration);
		expect(second).toEqual({
			agent_id: AGENT,
			conversation_id: null,
			approval_request_id: pending[0].approval_request_id,
			tool_call_ids: [pending[0].tool_call_id],
		});
		expect(second.approval_request_id).not.toBe(first.approval_request_id);
		expect(second.tool_call_ids).not.toEqual(first.tool_call_ids);
		expect(needsMigration.run_id).toEqual(expect.stringMatching(/^run-/));
		expect(needsMigration.run_id).not.toBe(asked.run_id);

		// Answering the second request reaches Completed with the final reply.
		expect(jsonOf(result, 'Answer Migration', NEEDS_APPROVAL)).toEqual([]);
		const [completed] = jsonOf(result, 'Answer Migration', COMPLETED);
		expect(completed).toMatchObject({
			reply: `Done: migrate_schema ran with ${JSON.stringify(MIGRATE_ARGS)}`,
			stop_reason: 'end_turn',
			agent_id: AGENT,
			already_answered: false,
			answered: {
				approval_request_id: second.approval_request_id,
				tool_call_ids: second.tool_call_ids,
			},
			answer_to: null,
			pending_approvals: [],
		});
		expect(completed.run_id).not.toBe(needsMigration.run_id);

		// Two answers, each to the request pending at the time, on the agent endpoint.
		expect(await sentAnswers()).toEqual([
			{
				path: `/v1/agents/${AGENT}/messages`,
				approvals: [{ type: 'approval', tool_call_id: first.tool_call_ids[0], approve: true }],
			},
			{
				path: `/v1/agents/${AGENT}/messages`,
				approvals: [{ type: 'approval', tool_call_id: second.tool_call_ids[0], approve: true }],
			},
		]);
		expect((await control.state()).pendingApprovals).toEqual([]);
	});

	it('denying the second request completes with a reply quoting the reason', async () => {
		const result = await runChain({ approve: false, reason: 'Wait for the release freeze to end' });
		expect(errorOf(result)).toBeUndefined();
		expect(jsonOf(result, 'Answer Migration', COMPLETED)).toMatchObject([
			{
				reply:
					'I did not run migrate_schema: the request was denied with reason "Wait for the release freeze to end".',
				stop_reason: 'end_turn',
				answer_to: null,
			},
		]);
		const answers = await sentAnswers();
		expect(answers.map((answer) => answer.approvals[0].approve)).toEqual([true, false]);
		expect((await control.state()).pendingApprovals).toEqual([]);
	});

	it('denying the first request completes at once: no second request', async () => {
		const denied = await runLetta(
			[
				sendNode('Ask', { agentId: byId(AGENT), text: 'orders' }),
				answerNode('Answer Backup', { approve: false, reason: 'No backups now' }),
			],
			chain('Start', ['Ask', NEEDS_APPROVAL], 'Answer Backup'),
		);
		expect(errorOf(denied)).toBeUndefined();
		expect(jsonOf(denied, 'Answer Backup', NEEDS_APPROVAL)).toEqual([]);
		expect(jsonOf(denied, 'Answer Backup', COMPLETED)).toMatchObject([
			{
				reply:
					'I did not run backup_database: the request was denied with reason "No backups now".',
				stop_reason: 'end_turn',
				answer_to: null,
			},
		]);
		expect((await control.state()).pendingApprovals).toEqual([]);
	});

	it('answering the first request again, once the chain moved on, is already answered and points at the new request', async () => {
		const firstRun = await runLetta(
			[
				sendNode('Ask', { agentId: byId(AGENT), text: 'orders' }),
				answerNode('Answer Backup', { approve: true }),
			],
			chain('Start', ['Ask', NEEDS_APPROVAL], 'Answer Backup'),
		);
		expect(errorOf(firstRun)).toBeUndefined();
		const [asked] = jsonOf(firstRun, 'Ask', NEEDS_APPROVAL);
		const [needsMigration] = jsonOf(firstRun, 'Answer Backup', NEEDS_APPROVAL);
		await control.clearRequests();

		const again = await runLetta(
			[answerNode('Answer', { approve: false })],
			chain('Start', 'Answer'),
			[{ json: asked }],
		);
		expect(errorOf(again)).toBeUndefined();
		expect(jsonOf(again, 'Answer', COMPLETED)).toMatchObject([
			{ already_answered: true, stop_reason: null, now_pending: answerToOf(needsMigration) },
		]);
		expect(await sentAnswers()).toEqual([]);
	});

	it('through the Letta Trigger: each request of the chain is emitted once and answered from its item', async () => {
		const asked = await runLetta(
			[sendNode('Ask', { agentId: byId(AGENT), text: 'orders' })],
			chain('Start', 'Ask'),
		);
		expect(jsonOf(asked, 'Ask', NEEDS_APPROVAL)).toHaveLength(1);
		const watch = { scope: 'agent', agentId: byId(AGENT) };

		const firstPoll = await pollTrigger(watch);
		const [backupItem] = emitted(firstPoll);
		expect(backupItem).toMatchObject({
			pending_approvals: [{ tool_name: APPROVAL_TOOL_NAMES.backupDatabase }],
		});
		const backupAnswer = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: backupItem }],
		);
		const [needsMigration] = jsonOf(backupAnswer, 'Answer', NEEDS_APPROVAL);

		const secondPoll = await pollTrigger(watch, firstPoll.staticData);
		const secondItems = emitted(secondPoll);
		expect(secondItems).toHaveLength(1);
		const [migrationItem] = secondItems;
		expect(migrationItem).toMatchObject({
			pending_approvals: [{ tool_name: APPROVAL_TOOL_NAMES.migrateSchema, args: MIGRATE_ARGS }],
			answer_to: answerToOf(needsMigration),
			times_emitted: 1,
		});
		const migrationAnswer = await runLetta(
			[answerNode('Answer', { approve: true })],
			chain('Start', 'Answer'),
			[{ json: migrationItem }],
		);
		expect(jsonOf(migrationAnswer, 'Answer', COMPLETED)).toMatchObject([
			{
				stop_reason: 'end_turn',
				reply: `Done: migrate_schema ran with ${JSON.stringify(MIGRATE_ARGS)}`,
			},
		]);

		expect(emitted(await pollTrigger(watch, secondPoll.staticData))).toEqual([]);
	});
});
