import { pollDelayMs } from '../../../../nodes/shared/api/runResult';
import { StreamProgress } from '../../../../nodes/shared/api/runStream';
import { messageOtid, withOtids } from '../../../../nodes/shared/items/otids';
import { SseParser } from '../../../../nodes/shared/transport/sse';

describe('SseParser', () => {
	it('joins events split anywhere, CRLF included, and skips comments', () => {
		const parser = new SseParser();
		const text = ': hi\r\nevent: error\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata: [DONE]\n\n';
		const events = text.split('').flatMap((char) => parser.push(char));
		expect(events).toEqual([{ event: 'error', data: '{"a":\n1}' }, { data: '[DONE]' }]);
	});

	it('gives an unterminated last event at the end', () => {
		const parser = new SseParser();
		expect(parser.push('data: x')).toEqual([]);
		expect(parser.end()).toEqual([{ data: 'x' }]);
	});
});

describe('StreamProgress', () => {
	it('collects messages once by seq_id, keeps run id and cursor, ends on [DONE]', () => {
		const progress = new StreamProgress();
		const message = '{"message_type":"assistant_message","id":"m1","run_id":"run-1","seq_id":2}';
		progress.add({ data: '{"message_type":"ping","run_id":"run-1","seq_id":1}' });
		progress.add({ data: message });
		progress.add({ data: message });
		progress.add({ data: '{"message_type":"stop_reason","stop_reason":"end_turn"}' });
		expect(progress.add({ data: '[DONE]' })).toBe(true);
		expect(progress.runId).toBe('run-1');
		expect(progress.lastSeqId).toBe(2);
		expect(progress.response()?.messages).toHaveLength(1);
		expect(progress.response()?.messages[0]).not.toHaveProperty('seq_id');
	});
});

describe('otids', () => {
	const seed = { workflowId: 'w', executionId: '1', nodeName: 'Send', itemIndex: 0 };
	it('are stable, per item and per answer, and UUID-shaped', () => {
		expect(messageOtid(seed, 0)).toBe(messageOtid(seed, 0));
		expect(messageOtid(seed, 0)).not.toBe(messageOtid({ ...seed, itemIndex: 1 }, 0));
		expect(messageOtid(seed, 0)).not.toBe(messageOtid({ ...seed, answer: 'deny' }, 0));
		expect(messageOtid(seed, 0)).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
	});
	it('turn input into one user message and keep a given otid', () => {
		expect(withOtids({ input: 'hi' }, seed).messages?.[0]).toEqual({
			role: 'user',
			content: 'hi',
			otid: messageOtid(seed, 0),
		});
		const given = withOtids({ messages: [{ role: 'user', content: 'x', otid: 'mine' }] }, seed);
		expect(given.messages?.[0].otid).toBe('mine');
	});
});

describe('pollDelayMs', () => {
	it('backs off from 250 ms to a 5 s cap', () => {
		expect([0, 1, 2, 10].map(pollDelayMs)).toEqual([250, 500, 1000, 5000]);
	});
});
