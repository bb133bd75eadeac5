/** Runs through the official SDK: the listing the trigger reads, one run, 404. */
import { NotFoundError } from '@letta-ai/letta-client';
import type { LettaResponse, Run } from '@letta-ai/letta-client/resources/agents/messages';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import {
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	requiredKeys,
	RUN_ID_SHAPE,
	sdkClient,
} from './sdk';

freshTenant();
const client = sdkClient();

const RUN_KEYS = requiredKeys<Run>()(['id', 'agent_id']);

function expectRun(run: Run): void {
	expectRequiredFields(run, RUN_KEYS);
	expect(run.id).toMatch(RUN_ID_SHAPE);
}

describe('runs.list (GET /v1/runs/)', () => {
	it('agent_id + stop_reason=requires_approval + order=desc: the default conversation’s asking runs, conversation_id null', async () => {
		await client.agents.messages.create(AGENT_IDS.fileJanitor, { input: '/tmp/a' });
		const page = await client.runs.list({
			agent_id: AGENT_IDS.fileJanitor,
			stop_reason: 'requires_approval',
			order: 'desc',
			limit: 100,
		});
		expect(page.items).toHaveLength(1);
		const [run] = page.items;
		expectRun(run);
		expect(run.agent_id).toBe(AGENT_IDS.fileJanitor);
		expect(run.stop_reason).toBe('requires_approval');
		expect(run.status).toBe('completed');
		expect(run.conversation_id ?? null).toBeNull();
	});

	it('conversation_id narrows to one conversation', async () => {
		await client.post<LettaResponse>(
			`/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`,
			{ body: { input: '/tmp/b', streaming: false } },
		);
		await client.agents.messages.create(AGENT_IDS.fileJanitor, { input: '/tmp/c' });
		const page = await client.runs.list({
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: CONVERSATION_IDS.janitorCleanup,
			stop_reason: 'requires_approval',
			limit: 100,
		});
		expect(page.items.map((run) => run.conversation_id)).toEqual([CONVERSATION_IDS.janitorCleanup]);
	});
});

describe('runs.retrieve (GET /v1/runs/{run_id})', () => {
	it('reads the run a reply came from: status completed, its stop_reason', async () => {
		const response = await client.agents.messages.create(AGENT_IDS.customerSupport, {
			input: 'hi',
		});
		const runId = response.messages[0].run_id ?? '';
		const run = await client.runs.retrieve(runId);
		expectRun(run);
		expect(run.id).toBe(runId);
		expect(run.agent_id).toBe(AGENT_IDS.customerSupport);
		expect(run.status).toBe('completed');
		expect(run.stop_reason).toBe('end_turn');
	});

	it('an unknown run is NotFoundError 404 whose detail names it (source: run_manager.get_run_by_id raises NoResultFound)', async () => {
		const unknown = 'run-99999999-9999-4999-8999-999999999999';
		const error = await expectSdkError(client.runs.retrieve(unknown), NotFoundError, 404);
		expect(error.error.detail).toEqual(expect.stringContaining(unknown));
		expect(error.error.detail).toEqual(expect.stringMatching(/not found/i));
	});
});
