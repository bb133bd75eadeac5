import { errorOf, jsonOf, nodeErrorOf, outputOf } from '../harness/runWorkflow';
import {
	AGENT_IDS,
	agentBlockId,
	BLOCK_IDS,
	HUMAN_BLOCK_SEED_VALUE,
	UNKNOWN_AGENT_ID,
	UNKNOWN_BLOCK_ID,
} from '../simulator/fixtures';
import { runLetta } from './letta.support';
import { byId, simulator } from './support';

const sim = simulator();
const support = AGENT_IDS.customerSupport;

beforeEach(async () => {
	await sim.reset();
});

describe('Letta > Memory Block', () => {
	it('gets a block by label on an agent and by ID, each item paired', async () => {
		const result = await runLetta(
			'memoryBlock',
			'get',
			{
				blockBy: '={{ $json.by }}',
				agentId: byId(support),
				label: 'human',
				blockId: BLOCK_IDS.company,
			},
			{ items: [{ json: { by: 'label' } }, { json: { by: 'id' } }] },
		);
		const [human, company] = outputOf(result, 'Letta');
		expect(human.json).toMatchObject({
			id: agentBlockId(support, 1),
			label: 'human',
			value: HUMAN_BLOCK_SEED_VALUE,
		});
		expect(human.pairedItem).toEqual({ item: 0 });
		expect(company.json).toMatchObject({ id: BLOCK_IDS.company, label: 'company' });
		expect(company.pairedItem).toEqual({ item: 1 });
		const paths = (await sim.requests({ method: 'GET' })).map((request) => request.path);
		expect(paths).toEqual([
			`/v1/agents/${support}/core-memory/blocks/human`,
			`/v1/blocks/${BLOCK_IDS.company}`,
		]);
	});

	it('lists an agent’s blocks (Return All and Limit) and accepts an agent URL', async () => {
		const all = await runLetta('memoryBlock', 'list', {
			agentId: {
				__rl: true,
				mode: 'url',
				value: `https://app.letta.com/projects/x/agents/${support}`,
			},
			returnAll: true,
		});
		expect(jsonOf(all, 'Letta').map((block) => block.label)).toEqual([
			'persona',
			'human',
			'company',
		]);
		const two = await runLetta('memoryBlock', 'list', { agentId: byId(support), limit: 2 });
		expect(jsonOf(two, 'Letta').map((block) => block.label)).toEqual(['persona', 'human']);
		const [request] = (await sim.requests({ pathContains: '/core-memory/blocks' })).slice(-1);
		expect(request.query).toMatchObject({ limit: ['2'], order: ['asc'] });
	});

	it('updates a value by label; the guard passes when the value is unchanged', async () => {
		const result = await runLetta('memoryBlock', 'update', {
			agentId: byId(support),
			label: 'human',
			value: 'Jane, CTO of Acme, prefers short answers.',
			options: { onlyIfValueIs: HUMAN_BLOCK_SEED_VALUE },
		});
		expect(jsonOf(result, 'Letta')).toEqual([
			expect.objectContaining({
				label: 'human',
				value: 'Jane, CTO of Acme, prefers short answers.',
			}),
		]);
		const [patch] = await sim.requests({ method: 'PATCH' });
		expect(patch.body).toEqual({ value: 'Jane, CTO of Acme, prefers short answers.' });
	});

	it('the guard refuses to overwrite a value that changed, naming the item and what it holds now', async () => {
		await runLetta('memoryBlock', 'update', {
			blockBy: 'id',
			blockId: BLOCK_IDS.company,
			value: 'changed by someone else',
		});
		await sim.clearRequests();
		const result = await runLetta('memoryBlock', 'update', {
			agentId: byId(support),
			label: 'company',
			value: 'my change',
			options: { onlyIfValueIs: 'the value I read' },
		});
		const error = nodeErrorOf(result, 'Letta');
		expect(error?.message).toBe(
			`The block "company" of agent ${support} changed since it was read; not overwritten [item 0]`,
		);
		expect(error?.description).toContain('It now holds: "changed by someone else"');
		expect(await sim.requests({ method: 'PATCH' })).toEqual([]);
	});

	it('updates of one block run in item order: the second guard sees the first write', async () => {
		const result = await runLetta(
			'memoryBlock',
			'update',
			{
				agentId: byId(support),
				label: 'human',
				value: '={{ $json.next }}',
				options: { onlyIfValueIs: '={{ $json.previous }}' },
			},
			{
				items: [
					{ json: { previous: HUMAN_BLOCK_SEED_VALUE, next: 'v2' } },
					{ json: { previous: 'v2', next: 'v3' } },
				],
			},
		);
		expect(jsonOf(result, 'Letta').map((block) => block.value)).toEqual(['v2', 'v3']);
	});

	it('attaches and detaches a shared block', async () => {
		const attached = await runLetta('memoryBlock', 'attach', {
			agentId: byId(support),
			blockId: BLOCK_IDS.escalationPolicy,
		});
		expect(jsonOf(attached, 'Letta')[0]).toMatchObject({
			agent_id: support,
			block_id: BLOCK_IDS.escalationPolicy,
			attached: true,
			blocks: expect.arrayContaining([
				{ id: BLOCK_IDS.escalationPolicy, label: 'escalation-policy' },
			]),
		});
		const detached = await runLetta('memoryBlock', 'detach', {
			agentId: byId(support),
			blockId: BLOCK_IDS.escalationPolicy,
		});
		const [output] = jsonOf(detached, 'Letta');
		expect(output).toMatchObject({ attached: false });
		expect(output.blocks).not.toContainEqual(
			expect.objectContaining({ id: BLOCK_IDS.escalationPolicy }),
		);
	});

	it('continue-on-fail: a bad block ID, an unknown label and an unknown agent become error items in place', async () => {
		const result = await runLetta(
			'memoryBlock',
			'get',
			{
				blockBy: '={{ $json.by }}',
				agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}',
				label: '={{ $json.label }}',
				blockId: '={{ $json.block }}',
			},
			{
				onError: 'continueRegularOutput',
				items: [
					{ json: { by: 'id', block: 'block-123' } },
					{ json: { by: 'label', agent: support, label: 'missing' } },
					{ json: { by: 'label', agent: UNKNOWN_AGENT_ID, label: 'human' } },
					{ json: { by: 'id', block: UNKNOWN_BLOCK_ID } },
					{ json: { by: 'label', agent: support, label: 'persona' } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const items = outputOf(result, 'Letta');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items[0].json.error).toBe('"block-123" is not a Letta block ID [item 0]');
		expect(items[1].json.error).toBe(
			`Letta could not find block "missing" of agent ${support} (404) [item 1]`,
		);
		expect(items[1].json.description).toContain(
			`No block with label 'missing' found for agent '${support}'`,
		);
		expect(items[2].json.error).toMatch(
			/^Letta could not find block "human" of agent agent-9{8}.* \(404\) \[item 2\]$/,
		);
		expect(items[3].json.error).toBe(
			`Letta could not find block ${UNKNOWN_BLOCK_ID} (404) [item 3]`,
		);
		expect(items[4].json).toMatchObject({ label: 'persona' });
	});
});
