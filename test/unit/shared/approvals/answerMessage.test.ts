import {
	ApprovalIdMismatch,
	buildApprovalMessage,
} from '../../../../nodes/shared/approvals/answerMessage';
import { parseAnswerTo } from '../../../../nodes/shared/approvals/readApprovalAnswer';
import { approvalCreateSchema } from '../../../../nodes/shared/api/messageSchemas';

const agentId = 'agent-11111111-1111-4111-8111-111111111108';
const conversationId = 'conv-22222222-2222-4222-8222-222222222201';

describe('parseAnswerTo', () => {
	const block = {
		agent_id: agentId,
		conversation_id: conversationId,
		approval_request_id: 'message-1',
		tool_call_ids: ['c1'],
	};

	it('takes the block itself, an item that carries it, or its JSON text', () => {
		expect(parseAnswerTo(block).answerTo).toEqual(block);
		expect(parseAnswerTo({ reply: '', answer_to: block }).answerTo).toEqual(block);
		expect(parseAnswerTo(JSON.stringify(block)).answerTo).toEqual(block);
	});

	it('says what is wrong with a bad block', () => {
		expect(parseAnswerTo({ ...block, agent_id: 'agent-1' }).problem).toMatch(/answer_to\.agent_id/);
		expect(parseAnswerTo({ ...block, tool_call_ids: [] }).problem).toMatch(/tool_call_ids/);
		expect(parseAnswerTo('{oops').problem).toMatch(/JSON/);
		expect(parseAnswerTo(undefined).problem).toBeDefined();
	});
});

describe('buildApprovalMessage', () => {
	it('answers every pending call with the default answer, valid for the spec schema', () => {
		const message = buildApprovalMessage(['c1', 'c2'], {
			kind: 'decision',
			approve: false,
			reason: 'not today',
		});
		expect(message).toEqual({
			type: 'approval',
			approvals: [
				{ type: 'approval', tool_call_id: 'c1', approve: false, reason: 'not today' },
				{ type: 'approval', tool_call_id: 'c2', approve: false, reason: 'not today' },
			],
		});
		expect(approvalCreateSchema.safeParse(message).success).toBe(true);
	});

	it('mixes per-call answers, tool returns included', () => {
		const message = buildApprovalMessage(
			['c1', 'c2'],
			{ kind: 'decision', approve: true },
			{
				c2: { kind: 'toolReturn', toolReturn: 'done by hand', status: 'success', stdout: ['ok'] },
			},
		);
		expect(message.approvals).toEqual([
			{ type: 'approval', tool_call_id: 'c1', approve: true },
			{
				type: 'tool',
				tool_call_id: 'c2',
				tool_return: 'done by hand',
				status: 'success',
				stdout: ['ok'],
			},
		]);
		expect(approvalCreateSchema.safeParse(message).success).toBe(true);
	});

	it('refuses per-call answers for calls that are not pending, listing both sets', () => {
		expect(() =>
			buildApprovalMessage(
				['c1'],
				{ kind: 'decision', approve: true },
				{ c9: { kind: 'decision', approve: false } },
			),
		).toThrow(ApprovalIdMismatch);
		expect(() =>
			buildApprovalMessage(
				['c1'],
				{ kind: 'decision', approve: true },
				{ c9: { kind: 'decision', approve: false } },
			),
		).toThrow('expected c1, given c9');
	});
});
