import type { INodeParameters, StructuredChunk } from 'n8n-workflow';

import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { approvalWaitLine, toolActivityLine } from '../../nodes/shared/waiting/chatChunks';
import { errorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS } from '../simulator/fixtures';
import { byId, runLettaNode, simulator } from './support';

/**
 * Send Agent Message in a real n8n-core execution that streams (as n8n runs a chat or a
 * streaming webhook: `streamingEnabled` and a `sendChunk` hook), against the simulator.
 */

const sim = simulator();

beforeEach(async () => {
	await sim.reset();
	await sim.updateSettings({ tokenDelayMs: 2 });
});

async function send(
	agentId: string,
	text: string | string[],
	options: INodeParameters = {},
	streaming = true,
) {
	const chunks: StructuredChunk[] = [];
	const texts = Array.isArray(text) ? text : [text];
	const result = await runLettaNode(
		LettaSendAgentMessage,
		{ agentId: byId(agentId), text: '={{ $json.text }}', options },
		{
			items: texts.map((value) => ({ json: { text: value } })),
			...(streaming ? { onChunk: (chunk: StructuredChunk) => chunks.push(chunk) } : {}),
		},
	);
	return { result, chunks };
}

const itemTexts = (chunks: StructuredChunk[], itemIndex = 0) =>
	chunks
		.filter((chunk) => chunk.type === 'item' && chunk.metadata.itemIndex === itemIndex)
		.map((chunk) => chunk.content ?? '');

const types = (chunks: StructuredChunk[], itemIndex = 0) =>
	chunks.filter((chunk) => chunk.metadata.itemIndex === itemIndex).map((chunk) => chunk.type);

async function messageBodies(): Promise<Array<Record<string, unknown>>> {
	const requests = await sim.requests({ method: 'POST', pathContains: '/messages' });
	return requests.map((request) => request.body as Record<string, unknown>);
}

describe('Send Agent Message: streaming to a chat', () => {
	it('streams the reply token by token, begin to end, and the item is unchanged', async () => {
		const { result, chunks } = await send(AGENT_IDS.customerSupport, 'where is my parcel');
		expect(errorOf(result)).toBeUndefined();
		const [item] = outputOf(result, 'Letta', 0);
		expect(item.json.reply).toBe('Customer Support heard: where is my parcel');
		const texts = itemTexts(chunks);
		expect(texts.length).toBeGreaterThan(2);
		expect(texts.join('')).toBe(item.json.reply);
		const kinds = types(chunks);
		expect(kinds[0]).toBe('begin');
		expect(kinds[kinds.length - 1]).toBe('end');
		expect(kinds.filter((kind) => kind === 'begin')).toHaveLength(1);
		expect(chunks.every((chunk) => chunk.metadata.nodeName === 'Letta')).toBe(true);
		const bodies = await messageBodies();
		expect(bodies).toHaveLength(1);
		expect(bodies[0]).toMatchObject({ streaming: true, background: true, stream_tokens: true });
		// Reasoning (the simulator's agents think aloud) never reaches the chat.
		expect(item.json.messages).toEqual(
			expect.arrayContaining([expect.objectContaining({ message_type: 'reasoning_message' })]),
		);
	});

	it('streams each item between its own begin and end', async () => {
		const { result, chunks } = await send(AGENT_IDS.customerSupport, ['one', 'two']);
		const items = outputOf(result, 'Letta', 0);
		for (const index of [0, 1]) {
			expect(types(chunks, index)[0]).toBe('begin');
			expect(types(chunks, index).at(-1)).toBe('end');
			expect(itemTexts(chunks, index).join('')).toBe(items[index].json.reply);
		}
	});

	it('not streaming: no chunk, no stream_tokens, the same one request', async () => {
		const { result, chunks } = await send(AGENT_IDS.customerSupport, 'hi', {}, false);
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toBe('Customer Support heard: hi');
		expect(chunks).toEqual([]);
		const bodies = await messageBodies();
		expect(bodies).toHaveLength(1);
		expect(bodies[0]).not.toHaveProperty('stream_tokens');
	});

	it('Stream Response off: nothing is streamed, the request is as without a chat', async () => {
		const { result, chunks } = await send(AGENT_IDS.customerSupport, 'hi', {
			streamResponse: false,
		});
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toBe('Customer Support heard: hi');
		expect(chunks).toEqual([]);
		expect((await messageBodies())[0]).not.toHaveProperty('stream_tokens');
	});

	it('a stop for approval says so in the chat; the item goes to Needs Approval', async () => {
		const { result, chunks } = await send(AGENT_IDS.fileJanitor, '/tmp/old-report.txt');
		expect(outputOf(result, 'Letta', 0)).toHaveLength(0);
		const [item] = outputOf(result, 'Letta', 1);
		expect(item.json.stop_reason).toBe('requires_approval');
		expect(item.json.pending_approvals).toEqual([
			expect.objectContaining({ tool_name: 'delete_file', args: { path: '/tmp/old-report.txt' } }),
		]);
		expect(itemTexts(chunks).join('')).toContain(approvalWaitLine(['delete_file']));
		expect(types(chunks).at(-1)).toBe('end');
	});

	it('Show Tool Activity: a short line for each tool call, then the reply', async () => {
		const { result, chunks } = await send(AGENT_IDS.researchScout, 'refunds', {
			streamToolActivity: true,
		});
		const [item] = outputOf(result, 'Letta', 0);
		const streamed = itemTexts(chunks).join('');
		expect(streamed.startsWith(toolActivityLine('search_notes'))).toBe(true);
		expect(streamed.endsWith(String(item.json.reply))).toBe(true);
		// Without it, the tool step is not shown.
		await sim.reset();
		const quiet = await send(AGENT_IDS.researchScout, 'refunds');
		expect(itemTexts(quiet.chunks).join('')).toBe(outputOf(quiet.result, 'Letta', 0)[0].json.reply);
	});

	it.each(['plainRequest', 'backgroundRun'])(
		'%s: no stream to read, so the reply goes to the chat whole',
		async (waitMode) => {
			const { result, chunks } = await send(AGENT_IDS.customerSupport, 'hi', { waitMode });
			const [item] = outputOf(result, 'Letta', 0);
			expect(types(chunks)).toEqual(['begin', 'item', 'end']);
			expect(itemTexts(chunks)).toEqual([item.json.reply]);
			expect((await messageBodies())[0]).not.toHaveProperty('stream_tokens');
		},
	);
});
