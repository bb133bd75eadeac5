/**
 * Core memory blocks: `/v1/agents/{agent_id}/core-memory/blocks...` and `/v1/blocks/{block_id}`,
 * as letta/server/rest_api/routers/v1/agents.py and blocks.py (56ba9c255) answer them.
 */
import type { SimulatorContext } from './context';
import {
	blockLabelNotFound,
	blockNotAttached,
	blockNotFound,
	detailError,
	recordNotFound,
	requireBodyObject,
} from './lettaErrors';
import { requireAgent } from './messageRoutes';
import { paginate, queryEnum, queryInteger, queryString } from './query';
import type { Router } from './router';
import type { BlockRecord } from './types';
import { toAgentState, toBlock } from './views';

/**
 * BlockUpdate: the fields sent (and not null) change, as `model_dump(exclude_unset=True,
 * exclude_none=True)` in modify_block_by_label_async. Only the fields the simulator keeps.
 */
function applyBlockUpdate(block: BlockRecord, raw: unknown): void {
	const body = requireBodyObject(raw);
	if (typeof body.value === 'string') block.value = body.value;
	if (typeof body.label === 'string') block.label = body.label;
	if (typeof body.description === 'string') block.description = body.description;
	if (typeof body.limit === 'number') block.limit = body.limit;
	if (Array.isArray(body.tags)) block.tags = body.tags.filter((tag) => typeof tag === 'string');
}

export function registerMemoryRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	const blockByLabel = (agentId: string, label: string): BlockRecord => {
		requireAgent(ctx, agentId);
		const block = store.blocksOf(agentId).find((candidate) => candidate.label === label);
		if (!block) throw detailError(404, blockLabelNotFound(label, agentId));
		return block;
	};

	const agentState = (agentId: string) => {
		const agent = requireAgent(ctx, agentId);
		return toAgentState(agent, null, store.blocksOf(agentId));
	};

	router.add('GET', '/v1/agents/{agent_id}/core-memory/blocks', (rc) => {
		requireAgent(ctx, rc.params.agent_id);
		const limit = queryInteger(rc.query, 'limit', 100, 1);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
		// Attach order stands in for creation time: the seed attaches oldest first.
		const blocks = store.blocksOf(rc.params.agent_id);
		if (order === 'desc') blocks.reverse();
		const page = paginate(
			blocks,
			queryString(rc.query, 'after'),
			queryString(rc.query, 'before'),
			limit,
		);
		return { body: page.map(toBlock) };
	});

	router.add('GET', '/v1/agents/{agent_id}/core-memory/blocks/{block_label}', (rc) => ({
		body: toBlock(blockByLabel(rc.params.agent_id, rc.params.block_label)),
	}));

	router.add('PATCH', '/v1/agents/{agent_id}/core-memory/blocks/{block_label}', (rc) => {
		const block = blockByLabel(rc.params.agent_id, rc.params.block_label);
		applyBlockUpdate(block, rc.body);
		return { body: toBlock(block) };
	});

	/** attach_block_async: attaching a block that is already attached changes nothing. */
	router.add('PATCH', '/v1/agents/{agent_id}/core-memory/blocks/attach/{block_id}', (rc) => {
		const { agent_id: agentId, block_id: blockId } = rc.params;
		requireAgent(ctx, agentId);
		if (!store.blocks.has(blockId)) throw detailError(404, recordNotFound('Block', blockId));
		const attached = store.agentBlocks.get(agentId) ?? [];
		if (!attached.includes(blockId)) store.agentBlocks.set(agentId, [...attached, blockId]);
		return { body: agentState(agentId) };
	});

	router.add('PATCH', '/v1/agents/{agent_id}/core-memory/blocks/detach/{block_id}', (rc) => {
		const { agent_id: agentId, block_id: blockId } = rc.params;
		requireAgent(ctx, agentId);
		const attached = store.agentBlocks.get(agentId) ?? [];
		if (!attached.includes(blockId)) throw detailError(404, blockNotAttached(blockId, agentId));
		store.agentBlocks.set(
			agentId,
			attached.filter((id) => id !== blockId),
		);
		return { body: agentState(agentId) };
	});

	router.add('GET', '/v1/blocks/{block_id}', (rc) => {
		const block = store.blocks.get(rc.params.block_id);
		if (!block) throw detailError(404, blockNotFound(rc.params.block_id));
		return { body: toBlock(block) };
	});

	/** update_block_async reads the block with BlockModel.read_async: the ORM's not-found text. */
	router.add('PATCH', '/v1/blocks/{block_id}', (rc) => {
		const block = store.blocks.get(rc.params.block_id);
		if (!block) throw detailError(404, recordNotFound('Block', rc.params.block_id));
		applyBlockUpdate(block, rc.body);
		return { body: toBlock(block) };
	});
}
