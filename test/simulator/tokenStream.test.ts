/**
 * `stream_tokens: true` over real sockets through the validator: the assistant text comes in
 * several `assistant_message` chunks sharing the message's id and otid (Letta's
 * openai_streaming_interface.py), background or not; the history keeps the message whole.
 */
import { SimulatorControl } from './control';
import { AGENT_IDS, CONVERSATION_IDS } from './fixtures';
import { splitTokens } from './tokenStream';
import { callLetta, parseSse } from './testClient';

const control = SimulatorControl.fromEnv();
const SUPPORT = AGENT_IDS.customerSupport;
const REPLY = 'Customer Support heard: where is my parcel';

type Chunk = Record<string, unknown>;

async function streamedChunks(path: string, body: Record<string, unknown>): Promise<Chunk[]> {
	const result = await callLetta('POST', path, { body });
	expect(result.status).toBe(200);
	return parseSse(result.text)
		.map((event) => event.data)
		.filter((data): data is Chunk => typeof data === 'object' && data !== null);
}

const ofType = (chunks: Chunk[], type: string) =>
	chunks.filter((chunk) => chunk.message_type === type);

beforeEach(async () => {
	await control.reset();
	await control.updateSettings({ tokenDelayMs: 5 });
});

describe('token streaming', () => {
	it.each([
		[
			'a background stream (agent-direct)',
			'/v1/conversations/default/messages',
			{ agent_id: SUPPORT, background: true },
		],
		[
			'a foreground stream of a conversation',
			`/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`,
			{},
		],
	])('splits the assistant text of %s into chunks sharing one id', async (_, path, extra) => {
		const chunks = await streamedChunks(path, {
			messages: [{ role: 'user', content: 'where is my parcel' }],
			streaming: true,
			stream_tokens: true,
			...extra,
		});
		const assistant = ofType(chunks, 'assistant_message');
		expect(assistant.length).toBe(splitTokens(REPLY).length);
		expect(assistant.length).toBeGreaterThan(2);
		expect(new Set(assistant.map((chunk) => chunk.id)).size).toBe(1);
		expect(new Set(assistant.map((chunk) => chunk.otid)).size).toBe(1);
		expect(assistant.map((chunk) => chunk.content).join('')).toBe(REPLY);
		// The stop reason comes after the last token.
		const lastToken = chunks.indexOf(assistant[assistant.length - 1]);
		expect(chunks.findIndex((chunk) => chunk.message_type === 'stop_reason')).toBeGreaterThan(
			lastToken,
		);
		const runId = String(assistant[0].run_id);
		const history = await callLetta('GET', `/v1/runs/${runId}/messages`);
		const stored = (history.json as Chunk[]).filter(
			(message) => message.message_type === 'assistant_message',
		);
		expect(stored.map((message) => message.content)).toContain(REPLY);
	});

	it('streams whole steps without stream_tokens', async () => {
		const chunks = await streamedChunks('/v1/conversations/default/messages', {
			agent_id: SUPPORT,
			messages: [{ role: 'user', content: 'where is my parcel' }],
			streaming: true,
		});
		expect(ofType(chunks, 'assistant_message').map((chunk) => chunk.content)).toEqual([REPLY]);
	});

	it('keeps the delay per token as a setting', async () => {
		expect((await control.settings()).tokenDelayMs).toBe(5);
		await control.reset();
		expect((await control.settings()).tokenDelayMs).toBe(0);
	});
});
