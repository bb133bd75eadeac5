import type {
	IBinaryKeyData,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, jsonParse } from 'n8n-workflow';

import { nodeTypeName } from './nodeTypes';

/** An input item as a test writes it: binary entries carry their bytes as base64. */
export interface TestItem {
	json: IDataObject;
	binary?: Record<string, { data: string; mimeType?: string; fileName?: string }>;
}

/**
 * Test stand-in for n8n's Manual Trigger (n8n-nodes-base is not installed): on a manual
 * run it emits the items in its `items` parameter, storing binary entries through n8n's
 * binary data service as an upstream node would.
 */
export class ItemsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Trigger (Test)',
		name: 'itemsTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits the given items when the workflow is run manually',
		defaults: { name: 'Items Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items',
				name: 'items',
				type: 'json',
				default: '[]',
				description: 'JSON array of {json, binary} items; binary data as base64',
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const parameter = this.getNodeParameter('items') as string | TestItem[];
		const items = typeof parameter === 'string' ? jsonParse<TestItem[]>(parameter) : parameter;

		const manualTriggerFunction = async () => {
			const output: INodeExecutionData[] = [];
			for (const item of items) {
				const binary: IBinaryKeyData = {};
				for (const [key, entry] of Object.entries(item.binary ?? {})) {
					binary[key] = await this.helpers.prepareBinaryData(
						Buffer.from(entry.data, 'base64'),
						entry.fileName,
						entry.mimeType,
					);
				}
				output.push(item.binary ? { json: item.json, binary } : { json: item.json });
			}
			this.emit([output]);
		};
		return { manualTriggerFunction };
	}
}

/** A workflow node running ItemsTrigger with the given items. */
export function itemsTriggerNode(items: TestItem[], name = 'Start'): INode {
	return {
		id: `node-${name}`,
		name,
		type: nodeTypeName(ItemsTrigger),
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
}
