import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { searchPassages, type PassageSearchQuery } from '../../../shared/api/passages';
import { resolveAgentId } from '../../../shared/items/locators';
import { itemInputError } from '../../../shared/items/parameters';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField, collectionField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';
import { parseTags, toIsoTime } from '../values';

export const description: OperationDescription = {
	name: 'Search',
	value: 'search',
	action: 'Search archival memory',
	description:
		"Find the passages of an agent's archival memory closest in meaning to a query, one item per passage",
	properties: [
		agentField,
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'How long do refunds take?',
			description: 'What to look for, in plain words: passages are ranked by meaning',
		},
		collectionField('Options', [
			{
				displayName: 'Created After',
				name: 'startDatetime',
				type: 'dateTime',
				default: '',
				description: 'Only passages created after this time',
			},
			{
				displayName: 'Created Before',
				name: 'endDatetime',
				type: 'dateTime',
				default: '',
				description: 'Only passages created before this time',
			},

			{
				displayName: 'Tag Match',
				name: 'tagMatchMode',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any Tag', value: 'any' },
					{ name: 'All Tags', value: 'all' },
				],
				description: 'Whether a passage needs any of the tags or all of them',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'policy, refunds',
				description: 'Only passages with these tags, separated by commas',
			},
			{
				displayName: 'Top K',
				name: 'topK',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1 },
				description: 'The most passages to return',
			},
		]),
	],
};

function readSearchQuery(context: IExecuteFunctions, itemIndex: number): PassageSearchQuery {
	const query = String(context.getNodeParameter('query', itemIndex, '')).trim();
	if (!query) {
		throw itemInputError(
			context,
			itemIndex,
			'The search query is empty',
			'Fill in "Query" (Letta finds nothing for an empty query), e.g. {{ $json.question }}.',
		);
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const tags = parseTags(options.tags);
	const search: PassageSearchQuery = { query };
	if (tags.length > 0) {
		search.tags = tags;
		search.tag_match_mode = options.tagMatchMode === 'all' ? 'all' : 'any';
	}
	if (options.topK) search.top_k = Number(options.topK);
	const after = toIsoTime(options.startDatetime);
	if (after) search.start_datetime = after;
	const before = toIsoTime(options.endDatetime);
	if (before) search.end_datetime = before;
	return search;
}

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(this, itemIndex),
			query: readSearchQuery(this, itemIndex),
		}),
		send: async ({ agentId, query }, itemIndex) =>
			await searchPassages(client, agentId, query, itemIndex),
	});
}
