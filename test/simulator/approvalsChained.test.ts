/**
 * Chained approvals (Change Runner): the continuation of an approved backup_database asks
 * approval for migrate_schema, so a user message needs two answers in a row before the reply.
 */
import { invalidToolCallIdsMessage } from './lettaErrors';
import { SimulatorControl } from './control';
import { AGENT_IDS, APPROVAL_TOOL_NAMES } from './fixtures';
import { callLetta } from './testClient';
import type { ApprovalRequestMessage, LettaMessage, LettaResponseBody } from './types';

const control = SimulatorControl.fromEnv();
const AGENT = AGENT_IDS.chainedOps;
const MESSAGES = `/v1/agents/${AGENT}/messages`;

type ApprovalItem =
	| { type: 'approval'; tool_call_id: string; approve: boolean; reason?: string }
	| { type: 'tool'; tool_call_id: string; tool_return: string; status: 'success' | 'error' };

const answerBody = (approvals: ApprovalItem[], extra: Record<string, unknown> = {}) => ({
	messages: [{ type: 'approval', approvals }],
	...extra,
});

const approve = (request: ApprovalRequestMessage): ApprovalItem[] =>
	request.tool_calls.map((call) => ({
		type: 'approval',
		tool_call_id: call.tool_call_id,
		approve: true,
	}));

const deny = (request: ApprovalRequestMessage, reason: string): ApprovalItem[] =>
	request.tool_calls.map((call) => ({
		type: 'approval',
		tool_call_id: call.tool_call_id,
		approve: false,
		reason,
	}));

function approvalRequestIn(response: LettaResponseBody): ApprovalRequestMessage | undefined {
	return response.messages.find(
		(message): message is ApprovalRequestMessage =>
			message.message_type === 'approval_request_message',
	);
}

const contents = (messages: LettaMessage[]): string[] =>
	messages.flatMap((message) =>
		message.message_type === 'assistant_message' ? [message.content] : [],
	);

async function post(body: unknown): Promise<LettaResponseBody> {
	const result = await callLetta('POST', MESSAGES, { body });
	expect(result.status).toBe(200);
	return result.json as LettaResponseBody;
}

/** Sends the user message; returns the backup_database request. */
async function askBackup(database: string): Promise<ApprovalRequestMessage> {
	const response = await post({ input: database, enable_thinking: 'false' });
	expect(response.stop_reason.stop_reason).toBe('requires_approval');
	const request = approvalRequestIn(response);
	if (!request) throw new Error('no approval_request_message in the response');
	return request;
}

async function pendingOnAgent(): Promise<ApprovalRequestMessage | null> {
	const agent = await callLetta('GET', `/v1/agents/${AGENT}?include=agent.pending_approval`);
	expect(agent.status).toBe(200);
	return (agent.json as { pending_approval: ApprovalRequestMessage | null }).pending_approval;
}

beforeEach(async () => {
	await control.reset();
});

describe('chained approvals (Change Runner)', () => {
	it('asks for backup_database first', async () => {
		const request = await askBackup('orders');
		expect(request.tool_calls).toHaveLength(1);
		expect(request.tool_call.name).toBe(APPROVAL_TOOL_NAMES.backupDatabase);
		expect(JSON.parse(request.tool_call.arguments)).toEqual({ database: 'orders' });
	});

	it('approved backup -> runs it, then asks approval for migrate_schema in a new run; approved -> replies with end_turn', async () => {
		const backup = await askBackup('orders');

		const afterBackup = await post(answerBody(approve(backup), { enable_thinking: 'false' }));
		expect(afterBackup.stop_reason.stop_reason).toBe('requires_approval');
		expect(afterBackup.messages.map((message) => message.message_type)).toEqual([
			'tool_return_message',
			'approval_request_message',
		]);
		expect(afterBackup.messages[0]).toMatchObject({
			tool_call_id: backup.tool_call.tool_call_id,
			status: 'success',
		});
		expect(contents(afterBackup.messages)).toEqual([]);
		const migrate = approvalRequestIn(afterBackup);
		if (!migrate) throw new Error('expected the migrate_schema request');
		expect(migrate.tool_calls).toHaveLength(1);
		expect(migrate.tool_call.name).toBe(APPROVAL_TOOL_NAMES.migrateSchema);
		expect(JSON.parse(migrate.tool_call.arguments)).toEqual({
			database: 'orders',
			to_version: 'latest',
		});
		expect(migrate.tool_call.tool_call_id).not.toBe(backup.tool_call.tool_call_id);
		expect(migrate.id).not.toBe(backup.id);
		expect(migrate.run_id).toMatch(/^run-/);
		expect(migrate.run_id).not.toBe(backup.run_id);
		expect(afterBackup.usage.run_ids).toEqual([migrate.run_id]);

		// Pending again, as Letta shows it: on the agent, in the state, and blocking messages.
		expect((await pendingOnAgent())?.tool_call.tool_call_id).toBe(migrate.tool_call.tool_call_id);
		const { pendingApprovals } = await control.state();
		expect(pendingApprovals).toHaveLength(1);
		const blocked = await callLetta('POST', MESSAGES, { body: { input: 'status?' } });
		expect(blocked.status).toBe(409);
		expect(blocked.json).toMatchObject({ detail: { pending_request_id: migrate.id } });
		const agent = await callLetta('GET', `/v1/agents/?last_stop_reason=requires_approval`);
		expect((agent.json as Array<{ id: string }>).map((a) => a.id)).toContain(AGENT);

		const done = await post(answerBody(approve(migrate), { enable_thinking: 'false' }));
		expect(done.stop_reason.stop_reason).toBe('end_turn');
		expect(done.messages.map((message) => message.message_type)).toEqual([
			'tool_return_message',
			'assistant_message',
		]);
		expect(contents(done.messages)).toEqual([
			`Done: migrate_schema ran with ${migrate.tool_call.arguments}`,
		]);
		expect(done.usage.run_ids[0]).not.toBe(migrate.run_id);
		expect(await pendingOnAgent()).toBeNull();
		expect((await control.state()).pendingApprovals).toEqual([]);

		const runs = await callLetta('GET', `/v1/runs/?agent_id=${AGENT}&order=asc`);
		expect(
			(runs.json as Array<{ id: string; status: string; stop_reason: string | null }>).map(
				(run) => [run.id, run.status, run.stop_reason],
			),
		).toEqual([
			[backup.run_id, 'completed', 'requires_approval'],
			[migrate.run_id, 'completed', 'requires_approval'],
			// The refused "status?": the agent endpoint created its run, then marked it failed.
			[expect.any(String), 'failed', null],
			[done.usage.run_ids[0], 'completed', 'end_turn'],
		]);
	});

	it('a denied backup ends the turn, quoting the reason, with nothing pending', async () => {
		const backup = await askBackup('orders');
		const response = await post(answerBody(deny(backup, 'no backups during business hours')));
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		expect(approvalRequestIn(response)).toBeUndefined();
		expect(contents(response.messages)).toEqual([
			'I did not run backup_database: the request was denied with reason "no backups during business hours".',
		]);
		expect(await pendingOnAgent()).toBeNull();
	});

	it('a denied migration ends the turn, quoting the reason, with nothing pending', async () => {
		const backup = await askBackup('orders');
		const migrate = approvalRequestIn(await post(answerBody(approve(backup))));
		if (!migrate) throw new Error('expected the migrate_schema request');
		const response = await post(answerBody(deny(migrate, 'wait for the release freeze to end')));
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		expect(contents(response.messages)).toEqual([
			'I did not run migrate_schema: the request was denied with reason "wait for the release freeze to end".',
		]);
		expect(response.messages.find((m) => m.message_type === 'tool_return_message')).toMatchObject({
			status: 'error',
			tool_call_id: migrate.tool_call.tool_call_id,
		});
		expect(await pendingOnAgent()).toBeNull();
		expect((await callLetta('POST', MESSAGES, { body: { input: 'next' } })).status).toBe(200);
	});

	it('a failed backup (tool return with status error) ends the turn; a successful one chains', async () => {
		const failed = await askBackup('orders');
		const failure = await post(
			answerBody([
				{
					type: 'tool',
					tool_call_id: failed.tool_call.tool_call_id,
					tool_return: 'disk full',
					status: 'error',
				},
			]),
		);
		expect(failure.stop_reason.stop_reason).toBe('end_turn');
		expect(contents(failure.messages)).toEqual(['backup_database failed: disk full']);

		const succeeded = await askBackup('billing');
		const chained = await post(
			answerBody([
				{
					type: 'tool',
					tool_call_id: succeeded.tool_call.tool_call_id,
					tool_return: 'backup at s3://b/billing.dump',
					status: 'success',
				},
			]),
		);
		expect(chained.stop_reason.stop_reason).toBe('requires_approval');
		expect(approvalRequestIn(chained)?.tool_call.name).toBe(APPROVAL_TOOL_NAMES.migrateSchema);
	});

	it('repeating the first answer while the second waits is refused: the pending ids are the migration', async () => {
		const backup = await askBackup('orders');
		const body = answerBody(approve(backup));
		const first = await post(body);
		expect(first.stop_reason.stop_reason).toBe('requires_approval');
		const migrate = approvalRequestIn(first);
		if (!migrate) throw new Error('expected the migrate_schema request');
		const repeat = await callLetta('POST', MESSAGES, { body });
		expect(repeat.status).toBe(400);
		expect(repeat.json).toEqual({
			detail: invalidToolCallIdsMessage(
				[migrate.tool_call.tool_call_id],
				[backup.tool_call.tool_call_id],
			),
		});
		expect((await pendingOnAgent())?.tool_call.tool_call_id).toBe(migrate.tool_call.tool_call_id);
	});

	it('while the migration waits, an answer naming other ids is refused with the migration call expected', async () => {
		const backup = await askBackup('orders');
		const migrate = approvalRequestIn(await post(answerBody(approve(backup))));
		if (!migrate) throw new Error('expected the migrate_schema request');
		const wrong = await callLetta('POST', MESSAGES, {
			body: answerBody([{ type: 'approval', tool_call_id: 'call_not_pending', approve: true }]),
		});
		expect(wrong.status).toBe(400);
		expect(wrong.json).toEqual({
			detail: invalidToolCallIdsMessage([migrate.tool_call.tool_call_id], ['call_not_pending']),
		});
	});

	it('max_steps 1 stops after running the backup, without asking the next approval', async () => {
		const backup = await askBackup('orders');
		const response = await post(answerBody(approve(backup), { max_steps: 1 }));
		expect(response.stop_reason.stop_reason).toBe('max_steps');
		expect(approvalRequestIn(response)).toBeUndefined();
		expect(await pendingOnAgent()).toBeNull();
	});

	it('a pending backup seeded through the control API chains the same way', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT, text: 'inventory' });
		expect(seeded.approvalRequest.tool_call.name).toBe(APPROVAL_TOOL_NAMES.backupDatabase);
		const response = await post(answerBody(approve(seeded.approvalRequest)));
		const migrate = approvalRequestIn(response);
		expect(JSON.parse(migrate?.tool_call.arguments ?? '{}')).toEqual({
			database: 'inventory',
			to_version: 'latest',
		});
	});
});
