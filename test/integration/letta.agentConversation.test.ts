import { jsonOf, nodeErrorOf } from '../harness/runWorkflow';
import { AGENT_IDS, CONVERSATION_IDS, UNKNOWN_CONVERSATION_ID } from '../simulator/fixtures';
import { Letta } from '../../nodes/Letta/Letta.node';
import { runLetta } from './letta.support';
import { byId, runListSearch, simulator } from './support';

const sim = simulator();
const support = AGENT_IDS.customerSupport;

beforeEach(async () => {
	await sim.reset();
});

describe('Letta > Agent', () => {
	it('gets an agent and lists agents by tags (Limit) and name', async () => {
		expect(jsonOf(await runLetta('agent', 'get', { agentId: byId(support) }), 'Letta')).toEqual([
			expect.objectContaining({ id: support, name: 'Customer Support' }),
		]);
		const byName = await runLetta('agent', 'list', {
			returnAll: true,
			filters: { queryText: 'janitor' },
		});
		expect(jsonOf(byName, 'Letta').map((agent) => agent.id)).toEqual([AGENT_IDS.fileJanitor]);
		const limited = await runLetta('agent', 'list', { limit: 2 });
		expect(jsonOf(limited, 'Letta')).toHaveLength(2);
		const [request] = (await sim.requests({ pathContains: '/v1/agents/' })).slice(-1);
		expect(request.query).toMatchObject({ limit: ['2'] });
	});

	it('updates name, description and tags; nothing to update is an error naming the item', async () => {
		const result = await runLetta('agent', 'update', {
			agentId: byId(support),
			updateFields: { name: 'Support', tags: 'support, eu' },
		});
		expect(jsonOf(result, 'Letta')[0]).toMatchObject({ name: 'Support', tags: ['support', 'eu'] });
		const [patch] = await sim.requests({ method: 'PATCH' });
		expect(patch.body).toEqual({ name: 'Support', tags: ['support', 'eu'] });
		const empty = await runLetta('agent', 'update', { agentId: byId(support), updateFields: {} });
		expect(nodeErrorOf(empty, 'Letta')?.message).toBe('Nothing to update [item 0]');
	});

	it('deletes only with Confirm Delete on', async () => {
		const refused = await runLetta('agent', 'delete', { agentId: byId(AGENT_IDS.translator) });
		expect(nodeErrorOf(refused, 'Letta')?.message).toBe(
			`Agent ${AGENT_IDS.translator} was not deleted: "Confirm Delete" is off [item 0]`,
		);
		expect(await sim.requests({ method: 'DELETE' })).toEqual([]);
		const deleted = await runLetta('agent', 'delete', {
			agentId: byId(AGENT_IDS.translator),
			confirmDelete: true,
		});
		expect(jsonOf(deleted, 'Letta')).toEqual([{ deleted: true, agent_id: AGENT_IDS.translator }]);
	});
});

describe('Letta > Conversation', () => {
	it('creates, gets, renames, lists and deletes a conversation', async () => {
		const created = jsonOf(
			await runLetta('conversation', 'create', { agentId: byId(support), summary: 'Ticket 4711' }),
			'Letta',
		)[0];
		expect(created).toMatchObject({ agent_id: support, summary: 'Ticket 4711' });
		const id = String(created.id);
		expect(
			jsonOf(await runLetta('conversation', 'get', { conversationId: byId(id) }), 'Letta')[0],
		).toMatchObject({ id });
		const renamed = await runLetta('conversation', 'update', {
			conversationId: byId(id),
			summary: 'Refund',
		});
		expect(jsonOf(renamed, 'Letta')[0]).toMatchObject({ summary: 'Refund' });
		const listed = await runLetta('conversation', 'list', {
			agentId: byId(support),
			returnAll: true,
			summarySearch: 'refund',
		});
		expect(jsonOf(listed, 'Letta').map((conversation) => conversation.id)).toEqual([id]);
		const deleted = await runLetta('conversation', 'delete', { conversationId: byId(id) });
		expect(jsonOf(deleted, 'Letta')).toEqual([{ deleted: true, conversation_id: id }]);
		const gone = await runLetta('conversation', 'get', { conversationId: byId(id) });
		expect(nodeErrorOf(gone, 'Letta')?.message).toBe(
			`Letta could not find conversation ${id} (404) [item 0]`,
		);
	});

	it('an empty conversation is an input error; an unknown one is 404', async () => {
		const empty = await runLetta(
			'conversation',
			'get',
			{ conversationId: '={{ { __rl: true, mode: "id", value: $json.conversation } }}' },
			{ items: [{ json: { conversation: '' } }] },
		);
		expect(nodeErrorOf(empty, 'Letta')?.message).toBe('No conversation given [item 0]');
		const unknown = await runLetta('conversation', 'delete', {
			conversationId: byId(UNKNOWN_CONVERSATION_ID),
		});
		expect(nodeErrorOf(unknown, 'Letta')?.message).toBe(
			`Letta could not find conversation ${UNKNOWN_CONVERSATION_ID} (404) [item 0]`,
		);
	});

	it('the conversation dropdown lists every agent’s conversations, searched by summary', async () => {
		const all = await runListSearch(Letta, 'searchAllConversations', {});
		expect(all.results.map((result) => result.value)).toContain(CONVERSATION_IDS.janitorCleanup);
		const found = await runListSearch(Letta, 'searchAllConversations', {}, 'billing');
		expect(found.results.map((result) => result.value)).toEqual([CONVERSATION_IDS.supportBilling]);
	});
});
