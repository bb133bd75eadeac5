/**
 * Memory blocks, archival memory, run messages/usage/cancel, agent and conversation
 * updates and deletes: through the official SDK, each answer held to the SDK's required keys.
 */
import { ConflictError, NotFoundError } from '@letta-ai/letta-client';
import type { BlockResponse } from '@letta-ai/letta-client/resources/blocks/blocks';
import type { Passage } from '@letta-ai/letta-client/resources/passages';
import type { PassageSearchResponse } from '@letta-ai/letta-client/resources/agents/passages';
import {
	AGENT_IDS,
	BLOCK_IDS,
	CONVERSATION_IDS,
	PASSAGE_IDS,
	UNKNOWN_BLOCK_ID,
	UNKNOWN_PASSAGE_ID,
} from '../simulator/fixtures';
import {
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	requiredKeys,
	RUN_ID_SHAPE,
	sdkClient,
} from './sdk';

const control = freshTenant();
const client = sdkClient();
const support = AGENT_IDS.customerSupport;

const BLOCK_KEYS = requiredKeys<BlockResponse>()(['id', 'value']);
const PASSAGE_KEYS = requiredKeys<Passage>()(['text', 'embedding', 'embedding_config']);
const SEARCH_RESULT_KEYS = requiredKeys<PassageSearchResponse.Result>()([
	'id',
	'timestamp',
	'content',
]);

describe('agents.blocks and blocks (core memory)', () => {
	it('retrieve by label, list, update by label: BlockResponse', async () => {
		const human = await client.agents.blocks.retrieve('human', { agent_id: support });
		expectRequiredFields(human, BLOCK_KEYS);
		const page = await client.agents.blocks.list(support, { order: 'asc' });
		expect(page.items.map((block) => block.label)).toEqual(['persona', 'human', 'company']);
		const updated = await client.agents.blocks.update('human', {
			agent_id: support,
			value: 'Jane',
		});
		expect(updated.value).toBe('Jane');
	});

	it('blocks.retrieve / blocks.update by id; unknown id is NotFoundError', async () => {
		expectRequiredFields(await client.blocks.retrieve(BLOCK_IDS.company), BLOCK_KEYS);
		expect((await client.blocks.update(BLOCK_IDS.company, { value: 'v2' })).value).toBe('v2');
		const error = await expectSdkError(
			client.blocks.retrieve(UNKNOWN_BLOCK_ID),
			NotFoundError,
			404,
		);
		expect(error.error.detail).toBe(`Block with id '${UNKNOWN_BLOCK_ID}' not found`);
	});

	it('attach and detach answer AgentState with the blocks', async () => {
		const attached = await client.agents.blocks.attach(BLOCK_IDS.escalationPolicy, {
			agent_id: support,
		});
		expect(attached.blocks.map((block) => block.id)).toContain(BLOCK_IDS.escalationPolicy);
		const detached = await client.agents.blocks.detach(BLOCK_IDS.escalationPolicy, {
			agent_id: support,
		});
		expect(detached.blocks.map((block) => block.id)).not.toContain(BLOCK_IDS.escalationPolicy);
	});
});

describe('agents.passages (archival memory)', () => {
	it('create, list, search, delete: Passage and the search results', async () => {
		const [created] = await client.agents.passages.create(support, {
			text: 'Gift cards never expire.',
			tags: ['gifts'],
		});
		expectRequiredFields(created, PASSAGE_KEYS);
		const listed = await client.agents.passages.list(support, { limit: 10 });
		expect(listed.map((passage) => passage.id)).toContain(created.id);
		const found = await client.agents.passages.search(support, { query: 'gift cards', top_k: 2 });
		expect(found.count).toBe(found.results.length);
		expectRequiredFields(found.results[0], SEARCH_RESULT_KEYS);
		expect(found.results[0].id).toBe(created.id);
		await client.agents.passages.delete(PASSAGE_IDS.refundPolicy, { agent_id: support });
		await expectSdkError(
			client.agents.passages.delete(UNKNOWN_PASSAGE_ID, { agent_id: support }),
			NotFoundError,
			404,
		);
	});
});

describe('runs: messages, usage, cancel', () => {
	it('runs.messages.list and runs.usage.retrieve for a reply’s run', async () => {
		const reply = await client.agents.messages.create(support, { input: 'hi' });
		const runId = reply.usage.run_ids?.[0] ?? '';
		expect(runId).toMatch(RUN_ID_SHAPE);
		const messages = await client.runs.messages.list(runId);
		expect(messages.items.length).toBeGreaterThan(0);
		const usage = await client.runs.usage.retrieve(runId);
		expect(usage.total_tokens).toBe(reply.usage.total_tokens);
	});

	it('agents.messages.cancel: the run named is cancelled; nothing active is ConflictError', async () => {
		const stuck = await control.seedRun({ agentId: support, ageMinutes: 40 });
		expect(await client.agents.messages.cancel(support, { run_ids: [stuck.id] })).toEqual({
			[stuck.id]: 'cancelled',
		});
		expect((await client.runs.retrieve(stuck.id)).status).toBe('cancelled');
		await expectSdkError(client.agents.messages.cancel(support), ConflictError, 409);
	});
});

describe('agents.update / agents.delete, conversations.delete', () => {
	it('update answers the changed AgentState; delete removes the agent', async () => {
		const updated = await client.agents.update(support, { name: 'Support', tags: ['eu'] });
		expect(updated).toMatchObject({ name: 'Support', tags: ['eu'] });
		await client.agents.delete(AGENT_IDS.translator);
		await expectSdkError(client.agents.retrieve(AGENT_IDS.translator), NotFoundError, 404);
	});

	it('conversations.delete, then retrieve is NotFoundError', async () => {
		await client.conversations.delete(CONVERSATION_IDS.supportOnboarding);
		await expectSdkError(
			client.conversations.retrieve(CONVERSATION_IDS.supportOnboarding),
			NotFoundError,
			404,
		);
	});
});
