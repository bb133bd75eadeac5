import { errorOf, jsonOf, nodeErrorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS, PASSAGE_IDS, UNKNOWN_PASSAGE_ID } from '../simulator/fixtures';
import { runLetta } from './letta.support';
import { byId, simulator } from './support';

const sim = simulator();
const support = AGENT_IDS.customerSupport;
const agentFromItem = '={{ { __rl: true, mode: "id", value: $json.agent } }}';

beforeEach(async () => {
	await sim.reset();
});

describe('Letta > Archival Memory', () => {
	it('inserts one passage per item with its tags, several at once, without embeddings in the output', async () => {
		const documents = Array.from({ length: 6 }, (_, index) => ({
			json: { title: `Doc ${index}`, text: `Body ${index}`, tags: ['docs', `d${index}`] },
		}));
		const result = await runLetta(
			'archivalMemory',
			'insert',
			{
				agentId: byId(support),
				text: '={{ $json.title }}: {{ $json.text }}',
				tags: '={{ $json.tags }}',
				options: { concurrency: 3 },
			},
			{ items: documents },
		);
		const items = outputOf(result, 'Letta');
		expect(items.map((item) => item.json.text)).toEqual(
			documents.map((_, i) => `Doc ${i}: Body ${i}`),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(documents.map((_, item) => ({ item })));
		expect(items[0].json).toMatchObject({ tags: ['docs', 'd0'] });
		expect(items[0].json).not.toHaveProperty('embedding');
		expect(items[0].json).not.toHaveProperty('embedding_config');
		const posts = await sim.requests({ method: 'POST', pathContains: '/archival-memory' });
		expect(posts).toHaveLength(6);
		expect(posts[0].body).toEqual({ text: 'Doc 0: Body 0', tags: ['docs', 'd0'] });
	});

	it('tags given as text separated by commas, and a Created At', async () => {
		await runLetta('archivalMemory', 'insert', {
			agentId: byId(support),
			text: 'Old note',
			tags: ' a, b ,, a',
			options: { createdAt: '2024-05-01T10:00:00.000Z' },
		});
		const [post] = await sim.requests({ method: 'POST' });
		expect(post.body).toEqual({
			text: 'Old note',
			tags: ['a', 'b'],
			created_at: '2024-05-01T10:00:00.000Z',
		});
	});

	it('searches with tags and top k: one item per passage found', async () => {
		const result = await runLetta('archivalMemory', 'search', {
			agentId: byId(support),
			query: 'How many days for refunds and shipping?',
			options: { tags: 'policy', tagMatchMode: 'any', topK: 1 },
		});
		expect(jsonOf(result, 'Letta')).toEqual([
			expect.objectContaining({
				id: PASSAGE_IDS.refundPolicy,
				content: expect.stringContaining('Refunds'),
			}),
		]);
		const [request] = await sim.requests({ pathContains: '/search' });
		expect(request.query).toMatchObject({
			tags: ['policy'],
			tag_match_mode: ['any'],
			top_k: ['1'],
		});
	});

	it('lists passages newest first with a limit, and by text', async () => {
		const newest = await runLetta('archivalMemory', 'list', {
			agentId: byId(support),
			limit: 2,
			options: { newestFirst: true },
		});
		expect(jsonOf(newest, 'Letta').map((passage) => passage.id)).toEqual([
			PASSAGE_IDS.invoiceCopies,
			PASSAGE_IDS.shippingTimes,
		]);
		const found = await runLetta('archivalMemory', 'list', {
			agentId: byId(support),
			returnAll: true,
			options: { search: 'invoice' },
		});
		expect(jsonOf(found, 'Letta').map((passage) => passage.id)).toEqual([
			PASSAGE_IDS.invoiceCopies,
		]);
	});

	it('deletes a passage; an unknown one fails with Letta’s text and the item', async () => {
		const deleted = await runLetta('archivalMemory', 'delete', {
			agentId: byId(support),
			passageId: PASSAGE_IDS.refundPolicy,
		});
		expect(jsonOf(deleted, 'Letta')).toEqual([
			{ deleted: true, agent_id: support, passage_id: PASSAGE_IDS.refundPolicy },
		]);
		const failed = await runLetta('archivalMemory', 'delete', {
			agentId: byId(support),
			passageId: UNKNOWN_PASSAGE_ID,
		});
		const error = nodeErrorOf(failed, 'Letta');
		expect(error?.message).toBe(
			`Letta could not find passage ${UNKNOWN_PASSAGE_ID} (404) [item 0]`,
		);
		expect(error?.description).toContain(
			`Passage with id ${UNKNOWN_PASSAGE_ID} not found in database.`,
		);
	});

	it('continue-on-fail: an empty text, an empty query and a bad agent become error items; nothing bad is sent', async () => {
		const result = await runLetta(
			'archivalMemory',
			'insert',
			{ agentId: agentFromItem, text: '={{ $json.text }}' },
			{
				onError: 'continueRegularOutput',
				items: [
					{ json: { agent: support, text: '' } },
					{ json: { agent: 'agent-nope', text: 'x' } },
					{ json: { agent: support, text: 'kept' } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const items = outputOf(result, 'Letta');
		expect(items.map((item) => item.json.error ?? item.json.text)).toEqual([
			'The passage text is empty [item 0]',
			'"agent-nope" is not a Letta agent ID [item 1]',
			'kept',
		]);
		expect(await sim.requests({ method: 'POST' })).toHaveLength(1);
		const search = await runLetta('archivalMemory', 'search', {
			agentId: byId(support),
			query: ' ',
		});
		expect(nodeErrorOf(search, 'Letta')?.message).toBe('The search query is empty [item 0]');
	});
});
