import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { insertPassage, type NewPassage } from '../../../shared/api/passages';
import { readItemParameter } from '../../../shared/items/itemParameter';
import { resolveAgentId } from '../../../shared/items/locators';
import { itemInputError, readTextParameter } from '../../../shared/items/parameters';
import type { LettaClient } from '../../../shared/transport/request';
import { concurrencyOption } from '../../../shared/ui/fields';
import { agentField, collectionField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';
import { parseTags, toIsoTime } from '../values';
import { passageOutput } from './passageOutput';

export const description: OperationDescription = {
	name: 'Insert',
	value: 'insert',
	action: 'Insert a passage into archival memory',
	description:
		"Add one passage per item to an agent's archival memory, several items at once (see Concurrency)",
	properties: [
		agentField,
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 6 },
			required: true,
			default: '',
			placeholder: '={{ $json.title }}\n\n{{ $json.text }}',
			description:
				'What to remember, e.g. a document or a note. Letta may split a long text into several passages.',
		},
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			default: '',
			placeholder: 'policy, refunds',
			description:
				'Tags to find the passage by later, separated by commas (or a list from an expression)',
		},
		collectionField('Options', [
			{
				displayName: 'Created At',
				name: 'createdAt',
				type: 'dateTime',
				default: '',
				description: 'When the remembered thing happened (default: now)',
			},
			{
				...concurrencyOption,
				description:
					'How many items to insert at once. Letta embeds each passage, so a few at a time is faster than one by one.',
			},
		]),
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => {
			const text = readTextParameter(this, itemIndex, 'text');
			if (!text.trim()) {
				throw itemInputError(
					this,
					itemIndex,
					'The passage text is empty',
					'Fill in "Text", or map it from the input, e.g. {{ $json.text }}.',
				);
			}
			const options = readItemParameter(this, 'options', itemIndex, {}) as IDataObject;
			const tags = parseTags(readItemParameter(this, 'tags', itemIndex, ''));
			const passage: NewPassage = { text };
			if (tags.length > 0) passage.tags = tags;
			const createdAt = toIsoTime(options.createdAt);
			if (createdAt) passage.created_at = createdAt;
			return { agentId: resolveAgentId(this, itemIndex), passage };
		},
		send: async ({ agentId, passage }, itemIndex) =>
			(await insertPassage(client, agentId, passage, itemIndex)).map(passageOutput),
	});
}
