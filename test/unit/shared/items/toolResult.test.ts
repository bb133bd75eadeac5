import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runsAsTool } from '../../../../nodes/shared/items/executionNode';
import { routeOutputs, routeReplies } from '../../../../nodes/shared/items/output';
import { shapeAgentReply, toolResult } from '../../../../nodes/shared/items/reply';

const AGENT = 'agent-11111111-1111-4111-8111-111111111108';

const approvalResponse = {
	messages: [
		{ message_type: 'assistant_message', id: 'm1', run_id: 'run-1', content: 'Let me clean up.' },
		{
			message_type: 'approval_request_message',
			id: 'message-approval-1',
			run_id: 'run-1',
			tool_call: {
				tool_call_id: 'call-1',
				name: 'delete_file',
				arguments: '{"path":"/tmp/old-report.txt"}',
			},
		},
	],
	stop_reason: { message_type: 'stop_reason', stop_reason: 'requires_approval' },
};

const completedResponse = {
	messages: [{ message_type: 'assistant_message', id: 'm2', run_id: 'run-2', content: 'Done.' }],
	stop_reason: { message_type: 'stop_reason', stop_reason: 'end_turn' },
};

/** Only what runsAsTool reads: the node's type. */
function contextOfType(type: string): IExecuteFunctions {
	return { getNode: () => ({ type }) } as unknown as IExecuteFunctions;
}

describe('what the model reads when a node runs as a tool', () => {
	it('names the tool call waiting for approval, with the ids to answer it', () => {
		const shaped = shapeAgentReply(approvalResponse as never, { agentId: AGENT });
		expect(toolResult(shaped)).toEqual({
			status: 'waiting_for_approval',
			text:
				`The Letta agent ${AGENT} is waiting for a human to approve ` +
				'delete_file({"path":"/tmp/old-report.txt"}). Nothing has run yet; it goes on once a ' +
				'person approves or denies it (answer with the ids below).',
			reply: 'Let me clean up.',
			agent_id: AGENT,
			conversation_id: null,
			approval_request_id: 'message-approval-1',
			tool_call_ids: ['call-1'],
			pending_approvals: [
				{
					tool_name: 'delete_file',
					arguments: { path: '/tmp/old-report.txt' },
					tool_call_id: 'call-1',
				},
			],
		});
	});

	it('gives the reply without the message log', () => {
		const shaped = shapeAgentReply(completedResponse as never, {
			agentId: AGENT,
			conversationId: 'conv-1',
		});
		expect(toolResult(shaped)).toEqual({
			status: 'completed',
			reply: 'Done.',
			stop_reason: 'end_turn',
			agent_id: AGENT,
			conversation_id: 'conv-1',
		});
	});

	it('says an error in words, with how to fix it', () => {
		expect(
			toolResult({ error: 'Agent not found', description: 'Pick an existing agent.' }),
		).toEqual({ status: 'error', error: 'Agent not found. Pick an existing agent.' });
		expect(toolResult({ error: 'Timed out.' })).toEqual({ status: 'error', error: 'Timed out.' });
	});

	it("leaves other items (the Letta node's resources) as they are", () => {
		const block = { id: 'block-1', label: 'human', value: 'Ada' };
		expect(toolResult(block)).toBe(block);
	});
});

describe('routing as a tool', () => {
	const items: INodeExecutionData[] = [
		{
			json: shapeAgentReply(completedResponse as never, { agentId: AGENT }),
			pairedItem: { item: 0 },
		},
		{
			json: shapeAgentReply(approvalResponse as never, { agentId: AGENT }),
			pairedItem: { item: 1 },
		},
	];

	it("knows a tool run by n8n's generated type name", () => {
		expect(runsAsTool(contextOfType('n8n-nodes-letta.lettaSendAgentMessageTool'))).toBe(true);
		expect(runsAsTool(contextOfType('n8n-nodes-letta.lettaSendAgentMessage'))).toBe(false);
	});

	it('puts every outcome on the first output, the only one the model sees', () => {
		const outputs = routeOutputs(
			contextOfType('n8n-nodes-letta.lettaSendAgentMessageTool'),
			items,
			routeReplies,
		);
		expect(outputs).toHaveLength(1);
		expect(outputs[0].map((item) => item.json.status)).toEqual([
			'completed',
			'waiting_for_approval',
		]);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('routes as before when not a tool', () => {
		const outputs = routeOutputs(
			contextOfType('n8n-nodes-letta.lettaSendAgentMessage'),
			items,
			routeReplies,
		);
		expect(outputs).toEqual(routeReplies(items));
	});
});
