import type { IDataObject } from 'n8n-workflow';

import { StreamProgress } from '../../../../nodes/shared/api/runStream';
import { replyText } from '../../../../nodes/shared/items/reply';
import {
	approvalWaitLine,
	ChatChunks,
	toolActivityLine,
} from '../../../../nodes/shared/waiting/chatChunks';

const assistant = (id: string, content: string): IDataObject => ({
	message_type: 'assistant_message',
	id,
	content,
	run_id: 'run-1',
});
const stop = (reason: string): IDataObject => ({
	message_type: 'stop_reason',
	stop_reason: reason,
});

/** Letta's chunks of a token-streamed turn: reasoning, a tool step, then two assistant messages. */
const tokenTurn: IDataObject[] = [
	{ message_type: 'reasoning_message', id: 'r1', reasoning: 'Let me' },
	{ message_type: 'reasoning_message', id: 'r1', reasoning: ' look.' },
	{
		message_type: 'tool_call_message',
		id: 't1',
		tool_call: { name: 'search_notes', arguments: '{"q"' },
	},
	{ message_type: 'tool_call_message', id: 't1', tool_call: { name: null, arguments: ':"x"}' } },
	{ message_type: 'tool_return_message', id: 't2', tool_return: 'found' },
	assistant('a1', 'Found'),
	assistant('a1', ' it'),
	assistant('a1', '.'),
	assistant('a2', 'Anything'),
	assistant('a2', ' else?'),
	stop('end_turn'),
	{ message_type: 'usage_statistics', step_count: 2 },
];

function sentFor(chunks: IDataObject[], toolActivity = false): string[] {
	const chat = new ChatChunks({ toolActivity });
	return chunks.flatMap((chunk) => chat.next(chunk));
}

function progressOf(chunks: IDataObject[]): StreamProgress {
	const progress = new StreamProgress();
	for (const chunk of chunks) progress.add({ data: JSON.stringify(chunk) });
	progress.add({ data: '[DONE]' });
	return progress;
}

describe('chat chunks of a streamed reply', () => {
	it('sends only reply text, a token at a time, and joined it is the reply', () => {
		const sent = sentFor(tokenTurn);
		expect(sent).toEqual(['Found', ' it', '.', '\n\nAnything', ' else?']);
		const response = progressOf(tokenTurn).response();
		expect(response).toBeDefined();
		expect(sent.join('')).toBe(replyText(response!.messages));
	});

	it('sends whole steps as they come when Letta streams steps, not tokens', () => {
		const steps = [
			assistant('a1', 'Found it.'),
			assistant('a2', 'Anything else?'),
			stop('end_turn'),
		];
		expect(sentFor(steps)).toEqual(['Found it.', '\n\nAnything else?']);
	});

	it('shows one line per tool call when tool activity is on', () => {
		expect(sentFor(tokenTurn, true)).toEqual([
			toolActivityLine('search_notes'),
			'\n\nFound',
			' it',
			'.',
			'\n\nAnything',
			' else?',
		]);
	});

	it('says the agent waits for approval, naming the tools, when it stops for one', () => {
		const turn = [
			assistant('a1', 'I will delete it.'),
			{
				message_type: 'approval_request_message',
				id: 'p1',
				tool_call: { name: 'delete_file', arguments: '{}' },
				tool_calls: [{ name: 'delete_file' }, { name: 'notify_channel' }],
			},
			stop('requires_approval'),
		];
		expect(sentFor(turn)).toEqual([
			'I will delete it.',
			`\n\n${approvalWaitLine(['delete_file', 'notify_channel'])}`,
		]);
		// A token-streamed request names the tool in a delta object, not a list.
		const delta = [
			{ message_type: 'approval_request_message', id: 'p1', tool_calls: { name: 'delete_file' } },
			stop('requires_approval'),
		];
		expect(sentFor(delta)).toEqual([approvalWaitLine(['delete_file'])]);
	});

	it('sends a reply that came whole (another wait mode) as the same texts', () => {
		const response = progressOf(tokenTurn).response()!;
		const chat = new ChatChunks({ toolActivity: false });
		expect(chat.whole(response)).toEqual(['Found it.', '\n\nAnything else?']);
	});

	it('ignores empty text and content parts add up', () => {
		const turn = [
			assistant('a1', ''),
			{ message_type: 'assistant_message', id: 'a2', content: [{ type: 'text', text: 'Hi' }] },
		];
		expect(sentFor(turn)).toEqual(['Hi']);
	});
});

describe('a token-streamed run read back', () => {
	it('joins the token chunks of one message into that message', () => {
		const progress = progressOf(tokenTurn);
		const { messages } = progress.response()!;
		expect(messages.map((message) => message.id)).toEqual(['r1', 't1', 't1', 't2', 'a1', 'a2']);
		expect(messages[0]).toMatchObject({ reasoning: 'Let me look.' });
		expect(messages[4]).toMatchObject({ content: 'Found it.' });
		expect(messages[5]).toMatchObject({ content: 'Anything else?' });
	});

	it("hands each chunk to its listener once, a recovered stream's repeats skipped", () => {
		const heard: IDataObject[] = [];
		const progress = new StreamProgress((chunk) => heard.push(chunk));
		const chunks = [
			{ ...assistant('a1', 'Hel'), seq_id: 2 },
			{ ...assistant('a1', 'lo'), seq_id: 3 },
		];
		for (const chunk of [...chunks, ...chunks]) progress.add({ data: JSON.stringify(chunk) });
		progress.add({ data: JSON.stringify({ message_type: 'ping', id: 'ping-1', seq_id: 4 }) });
		expect(heard.map((chunk) => chunk.content)).toEqual(['Hel', 'lo']);
		expect(heard[0]).not.toHaveProperty('seq_id');
		expect(progress.messages).toHaveLength(1);
		expect(progress.messages[0]).toMatchObject({ content: 'Hello' });
	});
});
