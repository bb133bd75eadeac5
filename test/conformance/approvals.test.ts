/** Tool approvals through the official SDK: approve, deny, tool return, and every refusal (409, 400). */
import { BadRequestError, ConflictError } from '@letta-ai/letta-client';
import type {
	ApprovalCreate,
	ApprovalRequestMessage,
	LettaResponse,
	Message,
} from '@letta-ai/letta-client/resources/agents/messages';
import type { ToolReturnMessage } from '@letta-ai/letta-client/resources/tools';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import {
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	MESSAGE_ID_SHAPE,
	requiredKeys,
	RUN_ID_SHAPE,
	sdkClient,
} from './sdk';

freshTenant();
const client = sdkClient();

const APPROVAL_REQUEST_KEYS = requiredKeys<ApprovalRequestMessage>()(['id', 'date', 'tool_call']);
const TOOL_RETURN_KEYS = requiredKeys<ToolReturnMessage>()([
	'id',
	'date',
	'status',
	'tool_call_id',
	'tool_return',
]);

/** PendingApprovalError's message (letta/errors.py), as str() renders it with its code. */
const PENDING_APPROVAL_DETAIL =
	'CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. ' +
	'Please approve or deny the pending request before continuing.';

function approvalRequest(response: LettaResponse): ApprovalRequestMessage {
	expect(response.stop_reason.stop_reason).toBe('requires_approval');
	const request = response.messages.find(
		(message): message is ApprovalRequestMessage =>
			message.message_type === 'approval_request_message',
	);
	if (!request) throw new Error('no approval_request_message in the response');
	expectRequiredFields(request, APPROVAL_REQUEST_KEYS);
	expect(request.id).toMatch(MESSAGE_ID_SHAPE);
	expect(request.run_id).toMatch(RUN_ID_SHAPE);
	return request;
}

/** Every tool call id of a request, in Letta's order (tool_calls, else tool_call). */
function toolCallIds(request: ApprovalRequestMessage): string[] {
	const calls = Array.isArray(request.tool_calls) ? request.tool_calls : [request.tool_call];
	return calls.map((call) => call.tool_call_id ?? '');
}

function toolReturns(messages: readonly Message[]): ToolReturnMessage[] {
	const returns = messages.filter(
		(message): message is ToolReturnMessage => message.message_type === 'tool_return_message',
	);
	for (const message of returns) expectRequiredFields(message, TOOL_RETURN_KEYS);
	return returns;
}

async function askFileJanitor(path: string): Promise<ApprovalRequestMessage> {
	return approvalRequest(
		await client.agents.messages.create(AGENT_IDS.fileJanitor, { input: path }),
	);
}

function answer(approvals: ApprovalCreate['approvals']): { messages: ApprovalCreate[] } {
	return { messages: [{ type: 'approval', approvals }] };
}

describe('answering an approval (ApprovalCreate in messages)', () => {
	it('approve: the tool runs (tool_return success), the turn ends in a new run', async () => {
		const request = await askFileJanitor('/tmp/old.log');
		expect(request.tool_call.name).toBe('delete_file');
		const [toolCallId] = toolCallIds(request);
		const response = await client.agents.messages.create(
			AGENT_IDS.fileJanitor,
			answer([{ type: 'approval', tool_call_id: toolCallId, approve: true }]),
		);
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		const [toolReturn] = toolReturns(response.messages);
		expect(toolReturn.tool_call_id).toBe(toolCallId);
		expect(toolReturn.status).toBe('success');
		expect(toolReturn.run_id).toMatch(RUN_ID_SHAPE);
		expect(toolReturn.run_id).not.toBe(request.run_id);
	});

	it('deny both parallel calls with a reason: error tool returns, one per call', async () => {
		const request = approvalRequest(
			await client.agents.messages.create(AGENT_IDS.releaseManager, { input: '2.4.0' }),
		);
		const ids = toolCallIds(request);
		expect(ids).toHaveLength(2);
		const response = await client.agents.messages.create(
			AGENT_IDS.releaseManager,
			answer(
				ids.map((id) => ({ type: 'approval', tool_call_id: id, approve: false, reason: 'freeze' })),
			),
		);
		const returns = toolReturns(response.messages);
		expect(returns.map((message) => message.tool_call_id).sort()).toEqual([...ids].sort());
		for (const message of returns) expect(message.status).toBe('error');
	});

	it('tool return (type "tool"): the client ran the tool, its result goes back', async () => {
		const request = await askFileJanitor('/tmp/cache');
		const [toolCallId] = toolCallIds(request);
		const response = await client.agents.messages.create(
			AGENT_IDS.fileJanitor,
			answer([
				{
					type: 'tool',
					tool_call_id: toolCallId,
					tool_return: 'deleted 3 files',
					status: 'success',
				},
			]),
		);
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		const [toolReturn] = toolReturns(response.messages);
		expect(toolReturn.tool_call_id).toBe(toolCallId);
		expect(toolReturn.tool_return).toContain('deleted 3 files');
	});

	it('in a conversation: requested and answered on the conversation endpoint', async () => {
		const path = `/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`;
		const request = approvalRequest(
			await client.post<LettaResponse>(path, { body: { input: '/var/tmp', streaming: false } }),
		);
		const [toolCallId] = toolCallIds(request);
		const response = await client.post<LettaResponse>(path, {
			body: {
				...answer([{ type: 'approval', tool_call_id: toolCallId, approve: true }]),
				streaming: false,
			},
		});
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		expect(toolReturns(response.messages)[0].status).toBe('success');
	});

	it('a repeated answer is not a no-op: it starts a new turn with a new run (source: agents/helpers.py, approval_already_processed injects a keep-alive message)', async () => {
		const request = await askFileJanitor('/tmp/twice');
		const body = answer([
			{ type: 'approval', tool_call_id: toolCallIds(request)[0], approve: true },
		]);
		const first = await client.agents.messages.create(AGENT_IDS.fileJanitor, body);
		const firstRun = first.messages[0].run_id;
		const runsBefore = (await client.runs.list({ agent_id: AGENT_IDS.fileJanitor, limit: 100 }))
			.items.length;

		const repeated = await client.agents.messages.create(AGENT_IDS.fileJanitor, body);
		expect(repeated.messages.length).toBeGreaterThan(0);
		for (const message of repeated.messages) expect(message.run_id).not.toBe(firstRun);
		const runsAfter = (await client.runs.list({ agent_id: AGENT_IDS.fileJanitor, limit: 100 }))
			.items.length;
		expect(runsAfter).toBe(runsBefore + 1);
	});
});

describe('refusals', () => {
	it('a message while approval is pending, agent endpoint (non-streaming): ConflictError 409 with an object detail (source: agents.py send_message, HTTPException detail={code, message, pending_request_id})', async () => {
		const request = await askFileJanitor('/tmp/blocked');
		const error = await expectSdkError(
			client.agents.messages.create(AGENT_IDS.fileJanitor, { input: 'hello?' }),
			ConflictError,
			409,
		);
		expect(error.error).toEqual({
			detail: {
				code: 'PENDING_APPROVAL',
				message: PENDING_APPROVAL_DETAIL,
				pending_request_id: request.id,
			},
		});
	});

	it('a message while approval is pending, conversation endpoint: ConflictError 409 with a string detail (source: app.py renders PendingApprovalError as {"detail": str(exc)})', async () => {
		const path = `/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`;
		await client.post(path, { body: { input: '/srv/old', streaming: false } });
		const error = await expectSdkError(
			client.post(path, { body: { input: 'hello?', streaming: false } }),
			ConflictError,
			409,
		);
		expect(error.error).toEqual({ detail: PENDING_APPROVAL_DETAIL });
	});

	it('answering only one of two pending calls: BadRequestError 400 "Invalid tool call IDs" with Python list reprs (source: agents/helpers.py validate_approval_tool_call_ids)', async () => {
		const request = approvalRequest(
			await client.agents.messages.create(AGENT_IDS.releaseManager, { input: '2.5.0' }),
		);
		const ids = toolCallIds(request);
		const error = await expectSdkError(
			client.agents.messages.create(
				AGENT_IDS.releaseManager,
				answer([{ type: 'approval', tool_call_id: ids[0], approve: true }]),
			),
			BadRequestError,
			400,
		);
		const pyList = (values: string[]) => `[${values.map((value) => `'${value}'`).join(', ')}]`;
		expect(error.error).toEqual({
			detail: `Invalid tool call IDs. Expected '${pyList(ids)}', but received '${pyList([ids[0]])}'.`,
		});
	});

	it('answering when nothing is pending: BadRequestError 400 without a code prefix (source: agents/helpers.py raises ValueError, app.py renders str(exc))', async () => {
		const error = await expectSdkError(
			client.agents.messages.create(
				AGENT_IDS.customerSupport,
				answer([{ type: 'approval', tool_call_id: 'call-never-asked', approve: true }]),
			),
			BadRequestError,
			400,
		);
		expect(error.error).toEqual({
			detail:
				'Cannot process approval response: No tool call is currently awaiting approval. ' +
				'Please send a regular message to interact with the agent.',
		});
	});
});
