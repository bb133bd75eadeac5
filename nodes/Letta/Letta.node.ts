import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	searchAgents,
	searchAllConversations,
	searchConversations,
} from '../shared/methods/listSearch';
import { LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import { lettaNodeProperties } from './actions/describe';
import { router } from './actions/router';

export class Letta implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta',
		name: 'letta',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			"Read and change a Letta agent's memory blocks, archival memory, runs, conversations and settings",
		defaults: { name: 'Letta' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		properties: lettaNodeProperties,
	};

	methods = {
		listSearch: { searchAgents, searchConversations, searchAllConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
