import {
	connectionStatus,
	describeConnection,
	heartbeatMs,
} from '../../../nodes/shared/api/environments';
import { runStopReason } from '../../../nodes/shared/api/runs';
import { messageIds } from '../../../nodes/LettaSendToEnvironment/messageIds';
import { deterministicId } from '../../../nodes/shared/items/otids';
import type { EnvironmentConnection } from '../../../nodes/shared/api/environmentSchemas';
import type { LettaMessage } from '../../../nodes/shared/api/messageSchemas';
import { assessReply, findSentMessage } from '../../../nodes/LettaSendToEnvironment/waitForReply';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function connection(overrides: Partial<EnvironmentConnection> = {}): EnvironmentConnection {
	return {
		id: 'env-1',
		connectionId: 'conn-1',
		deviceId: 'device-alice-laptop',
		connectionName: 'alice-laptop',
		lastHeartbeat: NOW - 5_000,
		...overrides,
	};
}

describe('connectionStatus', () => {
	it('is online with a connectionId and a heartbeat in the last 120 s', () => {
		expect(connectionStatus(connection(), NOW)).toEqual({ online: true, heartbeatAgeSeconds: 5 });
		expect(connectionStatus(connection({ lastHeartbeat: NOW - 120_000 }), NOW).online).toBe(true);
	});

	it('is offline without a connectionId, without a heartbeat, or with an older one', () => {
		expect(connectionStatus(connection({ connectionId: null }), NOW).online).toBe(false);
		expect(connectionStatus(connection({ lastHeartbeat: null }), NOW)).toEqual({
			online: false,
			heartbeatAgeSeconds: null,
		});
		expect(connectionStatus(connection({ lastHeartbeat: NOW - 121_000 }), NOW)).toEqual({
			online: false,
			heartbeatAgeSeconds: 121,
		});
	});

	it('reads a heartbeat given in seconds as seconds', () => {
		expect(heartbeatMs(NOW / 1000)).toBe(NOW);
		expect(connectionStatus(connection({ lastHeartbeat: (NOW - 10_000) / 1000 }), NOW).online).toBe(
			true,
		);
	});

	it('names a connection with its device and state', () => {
		expect(describeConnection(connection(), NOW)).toBe(
			'alice-laptop (device-alice-laptop) · online',
		);
		expect(
			describeConnection(connection({ connectionId: null, lastHeartbeat: NOW - 600_000 }), NOW),
		).toBe('alice-laptop (device-alice-laptop) · offline, last seen 10 min ago');
	});
});

describe('message ids', () => {
	const seed = { workflowId: 'wf-1', executionId: '42', nodeId: 'node-a', itemIndex: 0 };

	it('are UUID-shaped and the same for the same execution, node, item and message', () => {
		const id = deterministicId(['a', 'b']);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(deterministicId(['a', 'b'])).toBe(id);
		expect(messageIds(seed, 0)).toEqual(messageIds({ ...seed }, 0));
		expect(messageIds(seed, 0).clientMessageId).toMatch(/^n8n-/);
	});

	it('differ between items, messages, executions and nodes, and between the two kinds', () => {
		const ids = new Set([
			messageIds(seed, 0).clientMessageId,
			messageIds(seed, 1).clientMessageId,
			messageIds({ ...seed, itemIndex: 1 }, 0).clientMessageId,
			messageIds({ ...seed, executionId: '43' }, 0).clientMessageId,
			messageIds({ ...seed, nodeId: 'node-b' }, 0).clientMessageId,
			`n8n-${messageIds(seed, 0).otid}`,
		]);
		expect(ids.size).toBe(6);
	});
});

let counter = 0;
function message(type: string, fields: Record<string, unknown> = {}): LettaMessage {
	return {
		id: `message-${++counter}`,
		message_type: type,
		run_id: 'run-1',
		...fields,
	} as LettaMessage;
}

const markers = { otids: ['otid-mine'], toolCallIds: [], texts: ['Run the tests'] };

describe('findSentMessage', () => {
	it('finds the message by otid, ignoring other clients', () => {
		const messages = [
			message('user_message', { otid: 'otid-other', content: 'Run the tests' }),
			message('user_message', { otid: 'otid-mine' }),
		];
		expect(findSentMessage(messages, markers)).toBe(1);
	});

	it('finds an approval answer by the tool call ids it answers', () => {
		const messages = [
			message('approval_response_message', { approvals: [{ tool_call_id: 'other' }] }),
			message('approval_response_message', { approvals: [{ tool_call_id: 'call-1' }] }),
		];
		expect(findSentMessage(messages, { otids: [], toolCallIds: ['call-1'], texts: [] })).toBe(1);
	});

	it('falls back to the text, then to order, when the server dropped the otid', () => {
		expect(
			findSentMessage(
				[message('user_message', { otid: 'server-made', content: 'Run the tests' })],
				markers,
			),
		).toBe(0);
		expect(findSentMessage([message('user_message', { content: 'rephrased' })], markers)).toBe(0);
		expect(
			findSentMessage(
				[message('user_message', { otid: 'server-made', content: 'other' })],
				markers,
			),
		).toBe(-1);
		expect(findSentMessage([message('assistant_message')], markers)).toBe(-1);
	});
});

describe('assessReply', () => {
	it('waits while the message has not appeared', () => {
		expect(assessReply([], markers)).toEqual({
			anchorIndex: -1,
			runId: null,
			reply: [],
			apparentStopReason: null,
		});
	});

	it("collects the agent's messages of the same run after the message sent, up to the next turn", () => {
		const reasoning = message('reasoning_message');
		const foreign = message('assistant_message', { run_id: 'run-other' });
		const reply = message('assistant_message', { content: 'done' });
		const messages = [
			message('assistant_message', { run_id: 'run-0' }),
			message('user_message', { otid: 'otid-mine' }),
			reasoning,
			foreign,
			reply,
			message('user_message', { otid: 'later' }),
			message('assistant_message'),
		];
		expect(assessReply(messages, markers)).toEqual({
			anchorIndex: 1,
			runId: 'run-1',
			reply: [reasoning, reply],
			apparentStopReason: 'end_turn',
		});
	});

	it('takes the run id from the reply when the message sent has none', () => {
		const progress = assessReply(
			[
				message('user_message', { otid: 'otid-mine', run_id: null }),
				message('tool_call_message', { run_id: 'run-7' }),
			],
			markers,
		);
		expect(progress.runId).toBe('run-7');
		expect(progress.apparentStopReason).toBeNull();
	});

	it('sees a stop for approval in the messages alone', () => {
		const request = message('approval_request_message', {
			tool_call: { tool_call_id: 'call-1', name: 'delete_file', arguments: '{"path":"a"}' },
		});
		const progress = assessReply(
			[message('user_message', { otid: 'otid-mine' }), request],
			markers,
		);
		expect(progress.apparentStopReason).toBe('requires_approval');
		expect(progress.reply).toEqual([request]);
	});
});

describe('runStopReason', () => {
	it("is the run's own, or follows from its status", () => {
		expect(runStopReason('completed', 'requires_approval')).toBe('requires_approval');
		expect(runStopReason('completed', null)).toBe('end_turn');
		expect(runStopReason('failed', undefined)).toBe('error');
		expect(runStopReason('cancelled', null)).toBe('cancelled');
	});
});
