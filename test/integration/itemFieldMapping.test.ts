import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { WorkflowExpression, type INodeParameters } from 'n8n-workflow';
import { errorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS } from '../simulator/fixtures';
import { messagePosts, plainRequest, runLettaNode, simulator } from './support';

/**
 * A parameter that is only a field of the item (`{{ $json.text }}`) is read from the item
 * without n8n's expression engine. Differential check: the same workflow with the field
 * wrapped in parentheses (`{{ ($json.text) }}`, which n8n evaluates the same way but the
 * shortcut does not take) must give the same output items and send the same messages.
 */
const sim = simulator();

const ITEMS = [
	{ text: 'plain text', agent: AGENT_IDS.customerSupport },
	{ text: 42, agent: AGENT_IDS.customerSupport },
	{ text: true, agent: 'agent-not-an-id' },
	{ text: '', agent: AGENT_IDS.customerSupport },
	{ text: { nested: 'object' }, agent: AGENT_IDS.customerSupport },
	{ text: null, agent: AGENT_IDS.customerSupport },
	{ text: ['a', 'list'] },
	{ customer: { question: 'nested field' }, 'the text': 'spaced key', list: ['first'] },
	{},
].map((json) => ({ json }));

const FIELDS = [
	'$json.text',
	'$json.customer.question',
	'$json["the text"]',
	"$json['the text']",
	'$json.list[0]',
	'$json.missing.deeper',
];

/** What a run put out and sent, without what differs between any two runs (ids, dates). */
async function runWith(agentExpression: string, textExpression: string) {
	await sim.reset();
	const parameters: INodeParameters = {
		agentId: { __rl: true, mode: 'id', value: `={{ ${agentExpression} }}` },
		text: `={{ ${textExpression} }}`,
	};
	const result = await runLettaNode(LettaSendAgentMessage, plainRequest(parameters), {
		items: ITEMS,
		onError: 'continueRegularOutput',
	});
	expect(errorOf(result)).toBeUndefined();
	const items = outputOf(result, 'Letta', 0).map((item) => ({
		paired: item.pairedItem,
		reply: item.json.reply,
		agent: item.json.agent_id,
		error: item.json.error,
	}));
	const sent = (await messagePosts(sim)).map((request) => ({
		path: request.path,
		body: request.body,
	}));
	return { items, sent };
}

const parenthesized = (field: string) => `(${field})`;

beforeEach(async () => {
	await sim.reset();
});

describe('a parameter that is only a field of the item', () => {
	it.each(FIELDS)('gives what n8n gives for {{ %s }}', async (field) => {
		const agentField = '$json.agent';
		const shortcut = await runWith(agentField, field);
		const engine = await runWith(parenthesized(agentField), parenthesized(field));
		expect(shortcut).toEqual(engine);
		expect(shortcut.items).toHaveLength(ITEMS.length);
	});

	it("reads the item's field without n8n's expression engine; anything more goes through it", async () => {
		const evaluations = jest.spyOn(WorkflowExpression.prototype, 'getParameterValue');
		const countFor = async (items: number, wrap: (field: string) => string) => {
			evaluations.mockClear();
			await sim.reset();
			const parameters = {
				agentId: { __rl: true, mode: 'id', value: `={{ ${wrap('$json.agent')} }}` },
				text: `={{ ${wrap('$json.text')} }}`,
			};
			const result = await runLettaNode(LettaSendAgentMessage, plainRequest(parameters), {
				items: Array.from({ length: items }, (_, index) => ({
					json: { agent: AGENT_IDS.customerSupport, text: `message ${index}` },
				})),
			});
			expect(outputOf(result, 'Letta', 0)).toHaveLength(items);
			return evaluations.mock.calls.length;
		};
		try {
			const same = (field: string) => field;
			expect(await countFor(6, same)).toBe(await countFor(3, same));
			expect(await countFor(6, parenthesized)).toBeGreaterThanOrEqual(
				(await countFor(3, parenthesized)) + 3 * 2,
			);
		} finally {
			evaluations.mockRestore();
		}
	});

	it('sends text, numbers and objects (as JSON), and names each bad item', async () => {
		const { items, sent } = await runWith('$json.agent', '$json.text');
		expect(sent.map((request) => (request.body as { messages: unknown[] }).messages)).toEqual([
			[expect.objectContaining({ content: 'plain text' })],
			[expect.objectContaining({ content: '42' })],
			[expect.objectContaining({ content: '{"nested":"object"}' })],
		]);
		expect(items.map((item) => item.error)).toEqual([
			undefined,
			undefined,
			'"agent-not-an-id" is not a Letta agent ID [item 2]',
			'The message text is empty [item 3]',
			undefined,
			'The message text is empty [item 5]',
			'No agent given [item 6]',
			'No agent given [item 7]',
			'No agent given [item 8]',
		]);
	});
});
