import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { attachBlock, type AgentWithBlocks } from '../../../shared/api/blocks';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField } from '../fields';
import { BLOCK_ID, readLettaId } from '../ids';
import { runEachItem } from '../operation';
import { blockIdField } from './blockRef';

/** Attach and detach: the same fields, the same answer (the agent's blocks afterwards). */

export const attachmentProperties: INodeProperties[] = [agentField, blockIdField];

/** The output item: which block, on which agent, and the agent's blocks afterwards. */
export function attachmentResult(
	agent: AgentWithBlocks,
	blockId: string,
	attached: boolean,
): IDataObject {
	return {
		agent_id: agent.id,
		block_id: blockId,
		attached,
		blocks: agent.blocks.map((block) => ({ id: block.id, label: block.label ?? null })),
	};
}

export async function executeAttachment(
	context: IExecuteFunctions,
	client: LettaClient,
	attach: boolean,
) {
	return await runEachItem(context, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(context, itemIndex),
			blockId: readLettaId(context, itemIndex, 'blockId', BLOCK_ID),
		}),
		// One agent's core memory changes one item at a time.
		lane: ({ agentId }) => agentId,
		send: async ({ agentId, blockId }, itemIndex) =>
			attachmentResult(
				await attachBlock(client, agentId, blockId, attach, itemIndex),
				blockId,
				attach,
			),
	});
}
