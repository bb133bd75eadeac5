/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
import { LoadOptionsContext } from 'n8n-core';
import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import { LettaSendToEnvironment } from '../../nodes/LettaSendToEnvironment/LettaSendToEnvironment.node';
import {
	chain,
	errorOf,
	itemsTriggerNode,
	jsonOf,
	nodeErrorOf,
	outputOf,
	runWorkflow,
	workflowNode,
	type TestItem,
	type WorkflowRunResult,
} from '../harness/runWorkflow';
import { setUpWorkflow } from '../harness/workflowSetup';
import { SimulatorControl } from '../simulator/control';
import {
	AGENT_IDS,
	CONVERSATION_IDS,
	ENVIRONMENT_CONNECTION_IDS,
	ENVIRONMENT_DEVICE_IDS,
	SIMULATOR_API_KEY,
	UNKNOWN_CONNECTION_ID,
} from '../simulator/fixtures';

const sim = SimulatorControl.fromEnv();

function credentials(apiKey = SIMULATOR_API_KEY) {
	const baseUrl = process.env.LETTA_API_URL;
	if (!baseUrl)
		throw new Error('LETTA_API_URL is not set: run the tests through jest (globalSetup)');
	return { lettaCommunityApi: { apiKey, baseUrl, projectId: '' } };
}

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const device = (deviceId: string) => rl('list', deviceId);
const connectionId = (id: string) => rl('id', id);
const agent = (id: string) => rl('id', id);
const conversation = (id: string) => rl('id', id);

interface RunOptions {
	items?: TestItem[];
	onError?: INode['onError'];
	apiKey?: string;
}

async function runNodes(nodes: INode[], connections: IConnections, options: RunOptions = {}) {
	return await runWorkflow({
		nodes: [itemsTriggerNode(options.items ?? [{ json: {} }]), ...nodes],
		connections,
		nodeTypes: [LettaSendToEnvironment],
		credentialTypes: [LettaCommunityApi],
		credentials: credentials(options.apiKey),
	});
}

const envNode = (name: string, parameters: INodeParameters, settings: Partial<INode> = {}) =>
	workflowNode(LettaSendToEnvironment, name, parameters, settings);

/** Runs Start -> Send to Environment. */
async function send(
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<WorkflowRunResult> {
	const settings = options.onError ? { onError: options.onError } : {};
	return await runNodes([envNode('Env', parameters, settings)], chain('Start', 'Env'), options);
}

const environmentPosts = async () =>
	await sim.requests({ method: 'POST', pathContains: '/v1/environments/' });

async function listSearch(parameters: INodeParameters, filter?: string) {
	const node = envNode('Env', parameters);
	const setup = await setUpWorkflow({
		nodes: [node],
		connections: {},
		nodeTypes: [LettaSendToEnvironment],
		credentialTypes: [LettaCommunityApi],
		credentials: credentials(),
	});
	// As in the editor: the search reads the parameters the user has set so far.
	setup.additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(
		setup.workflow,
		setup.nodes[0],
		setup.additionalData,
		'searchEnvironments',
	);
	return await new LettaSendToEnvironment().methods.listSearch.searchEnvironments.call(
		context,
		filter,
	);
}

function failureOf(result: WorkflowRunResult, nodeName = 'Env') {
	const error = nodeErrorOf(result, nodeName);
	if (!error) throw new Error(`expected ${nodeName} to fail`);
	return { message: error.message, description: String(error.description ?? '') };
}

/** Nothing a run leaves behind (outputs, errors, their descriptions) may contain the key. */
function expectNoKey(result: WorkflowRunResult, key = SIMULATOR_API_KEY) {
	expect(JSON.stringify(result.run)).not.toContain(key);
}

beforeEach(async () => {
	await sim.reset();
});

describe('Send to Environment: connection list', () => {
	it('lists online connections by default, named with device and state, valued by device ID', async () => {
		const { results, paginationToken } = await listSearch({});
		expect(results).toEqual([
			{
				name: 'alice-laptop (device-alice-laptop) · online',
				value: ENVIRONMENT_DEVICE_IDS.aliceLaptop,
			},
			{
				name: 'build-server (device-build-server) · online',
				value: ENVIRONMENT_DEVICE_IDS.buildServer,
			},
		]);
		expect(paginationToken).toBeUndefined();
		const [request] = await sim.requests({ method: 'GET', pathContains: '/v1/environments' });
		expect(request.query).toMatchObject({ onlineOnly: ['true'] });
	});

	it('lists offline connections too when the option asks, and filters by name or device', async () => {
		const { results } = await listSearch({ options: { showOfflineConnections: true } });
		expect(results.map((result) => result.name)).toEqual([
			'alice-laptop (device-alice-laptop) · online',
			'build-server (device-build-server) · online',
			'old-desktop (device-old-desktop) · offline, last seen 24 h ago',
			'flaky-vm (device-flaky-vm) · offline, last seen 10 min ago',
		]);
		const filtered = await listSearch({ options: { showOfflineConnections: true } }, 'FLAKY');
		expect(filtered.results.map((result) => result.value)).toEqual([
			ENVIRONMENT_DEVICE_IDS.flakyVm,
		]);
	});
});

describe('Send to Environment: text', () => {
	it('sends a user message with a generated client_message_id and otid, and outputs the ids sent', async () => {
		// Item 0's turn holds the agent for a second: item 1, sent right after, surely finds it
		// busy however slow the machine (a shorter turn could end before item 1 is sent).
		await sim.updateSettings({ environmentDelayMs: 1000 });
		const result = await send(
			{ connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop), text: '={{ $json.task }}' },
			{ items: [{ json: { task: 'Run the tests' } }, { json: { task: 'Lint' } }] },
		);
		expect(errorOf(result)).toBeUndefined();
		const completed = outputOf(result, 'Env', 0);
		expect(completed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(outputOf(result, 'Env', 1)).toEqual([]);
		const [first, second] = completed.map((item) => item.json);
		expect(first).toEqual({
			success: true,
			message: 'Message sent to alice-laptop',
			agent_id: null,
			conversation_id: null,
			connection_id: ENVIRONMENT_CONNECTION_IDS.aliceLaptop,
			connection_name: 'alice-laptop',
			device_id: ENVIRONMENT_DEVICE_IDS.aliceLaptop,
			client_message_ids: [expect.stringMatching(/^n8n-[0-9a-f-]{36}$/)],
			otids: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
			tool_call_ids: [],
		});
		expect(second.client_message_ids).not.toEqual(first.client_message_ids);

		// Fire-and-forget: item 1 finds the agent still busy with item 0 (409) and is resent
		// as it was, its client_message_id unchanged, so the resend is recognisable. How many
		// 409s come before the agent is free depends on the backoff: at least one.
		const posts = await environmentPosts();
		const path = `/v1/environments/${ENVIRONMENT_CONNECTION_IDS.aliceLaptop}/messages`;
		expect(posts.every((post) => post.path === path)).toBe(true);
		const statuses = posts.map((post) => post.status);
		expect(statuses[0]).toBe(200);
		expect(statuses.at(-1)).toBe(200);
		expect(statuses.slice(1, -1).length).toBeGreaterThanOrEqual(1);
		expect(statuses.slice(1, -1).every((status) => status === 409)).toBe(true);
		const resends = posts.slice(1);
		for (const resend of resends) expect(resend.body).toEqual(resends[0].body);
		expect(resends[0].body).toMatchObject({
			messages: [
				{ content: 'Lint', client_message_id: (second.client_message_ids as string[])[0] },
			],
		});
		expect(posts[0].authorized).toBe(true);
		expect(posts[0].body).toEqual({
			messages: [
				{
					role: 'user',
					content: 'Run the tests',
					client_message_id: (first.client_message_ids as string[])[0],
					otid: (first.otids as string[])[0],
				},
			],
		});
	});
});

describe('Send to Environment: Wait for Reply', () => {
	it("outputs the agent's reply to this message, read from the conversation", async () => {
		const result = await send(
			{
				connection: connectionId(ENVIRONMENT_CONNECTION_IDS.aliceLaptop),
				agentId: agent(AGENT_IDS.customerSupport),
				conversationId: conversation(CONVERSATION_IDS.supportBilling),
				text: '={{ $json.question }}',
				waitForReply: true,
				replyTimeoutSeconds: 20,
			},
			{
				items: [
					{ json: { question: 'Where is my invoice?' } },
					{ json: { question: 'And the receipt?' } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const [first, second] = jsonOf(result, 'Env', 0);
		expect(first).toMatchObject({
			reply: 'Customer Support heard: Where is my invoice?',
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.customerSupport,
			conversation_id: CONVERSATION_IDS.supportBilling,
			run_id: expect.stringMatching(/^run-/),
			pending_approvals: [],
			answer_to: null,
			connection_id: ENVIRONMENT_CONNECTION_IDS.aliceLaptop,
			connection_name: 'alice-laptop',
			client_message_ids: [expect.stringMatching(/^n8n-/)],
		});
		// Only the agent's messages answering this one: not the message itself, not the next turn.
		expect((first.messages as IDataObject[]).map((message) => message.message_type)).toEqual([
			'reasoning_message',
			'assistant_message',
		]);
		// Items to one conversation go in order, each matched with its own reply.
		expect(second.reply).toBe('Customer Support heard: And the receipt?');
		expect(second.run_id).not.toBe(first.run_id);
		expect(outputOf(result, 'Env', 1)).toEqual([]);

		const [post] = await environmentPosts();
		expect(post.body).toMatchObject({
			agentId: AGENT_IDS.customerSupport,
			conversationId: CONVERSATION_IDS.supportBilling,
		});
		const reads = await sim.requests({
			method: 'GET',
			pathContains: `/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`,
		});
		expect(reads.length).toBeGreaterThanOrEqual(2);
		// Once the run is known it is waited on as Background Run waits: the run, then its messages.
		for (const runId of [first.run_id, second.run_id]) {
			expect(
				await sim.requests({ method: 'GET', pathContains: `/v1/runs/${runId as string}/messages` }),
			).toHaveLength(1);
		}
	});

	it("reads the agent's default conversation when only the agent is given", async () => {
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			agentId: agent(AGENT_IDS.translator),
			text: 'Bonjour',
			waitForReply: true,
			replyTimeoutSeconds: 20,
		});
		expect(jsonOf(result, 'Env', 0)[0]).toMatchObject({
			reply: 'Translator heard: Bonjour',
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.translator,
			conversation_id: null,
		});
		const [read] = await sim.requests({
			method: 'GET',
			pathContains: '/v1/conversations/default/messages',
		});
		expect(read.query).toMatchObject({ agent_id: [AGENT_IDS.translator] });
	});

	it('refuses to wait without an agent or a conversation, before sending anything', async () => {
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			text: 'hi',
			waitForReply: true,
		});
		expect(failureOf(result).message).toBe(
			'Wait for Reply needs an agent or a conversation [item 0]',
		);
		expect(await environmentPosts()).toEqual([]);
	});

	it('fails the item after the reply timeout, without resending, naming the ids sent', async () => {
		await sim.updateSettings({ environmentDelayMs: 4000 });
		const started = Date.now();
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			agentId: agent(AGENT_IDS.customerSupport),
			text: 'Slow one',
			waitForReply: true,
			replyTimeoutSeconds: 1,
		});
		expect(Date.now() - started).toBeLessThan(3500);
		const failure = failureOf(result);
		expect(failure.message).toBe('No reply from the agent within 1 s [item 0]');
		expect(failure.description).toMatch(/has not appeared in the conversation yet/);
		expect(failure.description).toMatch(/client_message_id n8n-[0-9a-f-]{36}/);
		expect(failure.description).toMatch(/not resent/);
		expect(await environmentPosts()).toHaveLength(1);
	});
});

describe('Send to Environment: approvals', () => {
	it('routes a reply that stops for approval to Needs Approval, and its item answers it unchanged', async () => {
		const ask = envNode('Ask', {
			connection: device(ENVIRONMENT_DEVICE_IDS.buildServer),
			agentId: agent(AGENT_IDS.fileJanitor),
			text: 'Delete old.log',
			waitForReply: true,
			replyTimeoutSeconds: 20,
		});
		const answer = envNode('Answer', {
			connection: device(ENVIRONMENT_DEVICE_IDS.buildServer),
			messageInput: 'answerApproval',
			approve: true,
			waitForReply: true,
			replyTimeoutSeconds: 20,
		});
		const result = await runNodes([ask, answer], chain('Start', ['Ask', 1], 'Answer'));
		expect(errorOf(result)).toBeUndefined();
		expect(outputOf(result, 'Ask', 0)).toEqual([]);
		const [needsApproval] = jsonOf(result, 'Ask', 1);
		expect(needsApproval).toMatchObject({
			stop_reason: 'requires_approval',
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: null,
			pending_approvals: [{ tool_name: 'delete_file', tool_call_id: expect.any(String) }],
		});
		const toolCallId = (needsApproval.pending_approvals as IDataObject[])[0].tool_call_id as string;
		expect(needsApproval.answer_to).toEqual({
			agent_id: AGENT_IDS.fileJanitor,
			conversation_id: null,
			approval_request_id: expect.stringMatching(/^message-/),
			tool_call_ids: [toolCallId],
		});

		const [answered] = jsonOf(result, 'Answer', 0);
		expect(answered).toMatchObject({
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.fileJanitor,
			tool_call_ids: [toolCallId],
		});
		expect(answered.reply).toEqual(expect.any(String));
		const posts = await environmentPosts();
		expect(posts[1].body).toEqual({
			messages: [
				{
					type: 'approval',
					approvals: [{ type: 'approval', tool_call_id: toolCallId, approve: true }],
				},
			],
			agentId: AGENT_IDS.fileJanitor,
		});
		expect((await sim.state()).pendingApprovals).toEqual([]);
	});

	async function answerSeeded(parameters: INodeParameters, conversationId?: string) {
		const seeded = await sim.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			conversationId,
			text: 'old.log',
		});
		const toolCallId = seeded.approvalRequest.tool_calls[0].tool_call_id;
		// As the Letta Trigger emits it: the answer_to block is mapped unchanged.
		const trigger = {
			answer_to: {
				agent_id: AGENT_IDS.fileJanitor,
				conversation_id: conversationId ?? null,
				approval_request_id: seeded.approvalRequest.id,
				tool_call_ids: [toolCallId],
			},
		};
		const result = await send(
			{
				connection: device(ENVIRONMENT_DEVICE_IDS.buildServer),
				messageInput: 'answerApproval',
				waitForReply: true,
				replyTimeoutSeconds: 20,
				...parameters,
			},
			{ items: [{ json: trigger }] },
		);
		expect(errorOf(result)).toBeUndefined();
		const [post] = await environmentPosts();
		return { toolCallId, output: jsonOf(result, 'Env', 0)[0], body: post.body as IDataObject };
	}

	it('denies with a reason, in the conversation the request came from', async () => {
		const { toolCallId, output, body } = await answerSeeded(
			{ approve: false, reason: 'Keep the logs' },
			CONVERSATION_IDS.janitorCleanup,
		);
		expect(body).toEqual({
			messages: [
				{
					type: 'approval',
					approvals: [
						{ type: 'approval', tool_call_id: toolCallId, approve: false, reason: 'Keep the logs' },
					],
				},
			],
			agentId: AGENT_IDS.fileJanitor,
			conversationId: CONVERSATION_IDS.janitorCleanup,
		});
		expect(output).toMatchObject({
			stop_reason: 'end_turn',
			conversation_id: CONVERSATION_IDS.janitorCleanup,
		});
	});

	it('approves with updated_input', async () => {
		const { toolCallId, body, output } = await answerSeeded({
			approve: true,
			updatedInput: '{"path": "/tmp/other.log"}',
		});
		expect(body.messages).toEqual([
			{
				type: 'approval',
				approvals: [
					{
						type: 'approval',
						tool_call_id: toolCallId,
						approve: true,
						updated_input: { path: '/tmp/other.log' },
					},
				],
			},
		]);
		// The tool ran with the human's arguments, not the agent's.
		expect(output.reply).toBe('Done: delete_file ran with {"path":"/tmp/other.log"}');
	});

	it('hands the agent a tool result with status, stdout and stderr', async () => {
		const { toolCallId, output, body } = await answerSeeded({
			answerKind: 'toolReturn',
			toolReturn: 'deleted 1 file',
			toolStatus: 'error',
			toolStdout: 'rm old.log',
			toolStderr: 'warning: 1\nwarning: 2',
		});
		expect(body.messages).toEqual([
			{
				type: 'approval',
				approvals: [
					{
						type: 'tool',
						tool_call_id: toolCallId,
						tool_return: 'deleted 1 file',
						status: 'error',
						stdout: ['rm old.log'],
						stderr: ['warning: 1', 'warning: 2'],
					},
				],
			},
		]);
		expect(output.stop_reason).toBe('end_turn');
	});
});

describe('Send to Environment: JSON', () => {
	it('sends the messages, filling in missing ids and keeping given ones', async () => {
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			messageInput: 'json',
			messagesJson: JSON.stringify({
				messages: [
					{ role: 'user', content: [{ type: 'text', text: 'part one' }] },
					{ role: 'user', content: 'two', client_message_id: 'mine-2', otid: 'otid-2' },
				],
			}),
		});
		const [output] = jsonOf(result, 'Env', 0);
		expect(output.client_message_ids).toEqual([expect.stringMatching(/^n8n-/), 'mine-2']);
		const [post] = await environmentPosts();
		expect(post.body).toEqual({
			messages: [
				{
					role: 'user',
					content: [{ type: 'text', text: 'part one' }],
					client_message_id: (output.client_message_ids as string[])[0],
					otid: (output.otids as string[])[0],
				},
				{ role: 'user', content: 'two', client_message_id: 'mine-2', otid: 'otid-2' },
			],
		});
	});

	it('refuses messages that do not match the spec, naming the item and the path, and sends nothing', async () => {
		const result = await send(
			{
				connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
				messageInput: 'json',
				messagesJson: '={{ JSON.stringify($json.body) }}',
			},
			{
				items: [
					{ json: { body: [{ role: 'user', content: 'fine' }] } },
					{ json: { body: { messages: [{ role: 'system', content: 'nope' }] } } },
				],
			},
		);
		const failure = failureOf(result);
		expect(failure.message).toMatch(
			/^"Messages \(JSON\)" does not match the Letta API: messages\.0\.role: .* \[item 1\]$/,
		);
		expect(await environmentPosts()).toEqual([]);
	});
});

describe('Send to Environment: errors', () => {
	it('refuses an offline connection before sending: no session, or a stale heartbeat', async () => {
		const byDevice = failureOf(
			await send({ connection: device(ENVIRONMENT_DEVICE_IDS.oldDesktop), text: 'hi' }),
		);
		expect(byDevice.message).toBe('Environment "old-desktop" is offline [item 0]');
		expect(byDevice.description).toMatch(/Nothing was sent: it has no live Letta Code session/);

		const byId = failureOf(
			await send({ connection: connectionId(ENVIRONMENT_CONNECTION_IDS.flakyVm), text: 'hi' }),
		);
		expect(byId.message).toBe('Environment "flaky-vm" is offline [item 0]');
		expect(byId.description).toMatch(/last heartbeat was 10 min ago/);
		expect(byId.description).toMatch(/connection ID changes with every Letta Code session/);
		expect(await environmentPosts()).toEqual([]);
	});

	it('follows the device to its new session, where a connection ID would be stale', async () => {
		const { connectionId: newId } = await sim.setEnvironmentOnline(
			ENVIRONMENT_DEVICE_IDS.aliceLaptop,
		);
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			text: 'hi',
		});
		expect(jsonOf(result, 'Env', 0)[0].connection_id).toBe(newId);
	});

	it('shows a 404 for an unknown connection with the item index, and never leaks the key', async () => {
		const result = await send(
			{ connection: connectionId('={{ $json.connection }}'), text: 'hi' },
			{
				items: [
					{ json: { connection: ENVIRONMENT_CONNECTION_IDS.aliceLaptop } },
					{ json: { connection: UNKNOWN_CONNECTION_ID } },
				],
			},
		);
		const failure = failureOf(result);
		expect(failure.message).toBe(
			`Letta could not find environment connection ${UNKNOWN_CONNECTION_ID} (404) [item 1]`,
		);
		expect(failure.description).toMatch(/CONNECTION_NOT_FOUND: No environment connection/);
		expectNoKey(result);
	});

	it('shows a 404 for an unknown device', async () => {
		const failure = failureOf(
			await send({ connection: rl('deviceId', 'device-nowhere'), text: 'hi' }),
		);
		expect(failure.message).toBe(
			'Letta could not find an environment on device device-nowhere (404) [item 0]',
		);
	});

	it('shows a 400 from the environments API with its errorCode', async () => {
		const failure = failureOf(
			await send({
				connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
				agentId: agent(AGENT_IDS.translator),
				conversationId: conversation(CONVERSATION_IDS.supportBilling),
				text: 'hi',
			}),
		);
		expect(failure.message).toMatch(
			/^Letta refused the request: BAD_REQUEST: Conversation .* belongs to agent .* \[item 0\]$/,
		);
	});

	const unavailable = {
		errorCode: 'ENVIRONMENT_UNAVAILABLE',
		message: 'Letta Code did not answer',
	};

	it('retries a 503 with backoff and succeeds, resending the same message', async () => {
		await sim.addFault({
			status: 503,
			count: 2,
			method: 'POST',
			pathContains: '/v1/environments/',
			retryAfterSeconds: 0.05,
			body: unavailable,
		});
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			text: 'hi',
		});
		expect(jsonOf(result, 'Env', 0)[0]).toMatchObject({ success: true });
		const posts = await environmentPosts();
		expect(posts.map((post) => post.status)).toEqual([503, 503, 200]);
		expect(new Set(posts.map((post) => JSON.stringify(post.body))).size).toBe(1);
	});

	it('gives up on a 503 after a bounded number of retries, with a clear error', async () => {
		await sim.addFault({
			status: 503,
			count: 10,
			method: 'POST',
			pathContains: '/v1/environments/',
			retryAfterSeconds: 0.05,
			body: unavailable,
		});
		const result = await send({
			connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop),
			text: 'hi',
		});
		const failure = failureOf(result);
		expect(failure.message).toBe(
			`Environment connection ${ENVIRONMENT_CONNECTION_IDS.aliceLaptop} is unavailable (503): ENVIRONMENT_UNAVAILABLE: Letta Code did not answer [item 0]`,
		);
		expect(failure.description).toMatch(/retried 3 times/);
		expect(await environmentPosts()).toHaveLength(4);
		expectNoKey(result);
	});

	it('continues on fail with an error item in place of each failed one, all paired', async () => {
		const result = await send(
			{
				connection: device('={{ $json.device }}'),
				agentId: agent('={{ $json.agent }}'),
				text: '={{ $json.text }}',
			},
			{
				onError: 'continueRegularOutput',
				items: [
					{ json: { device: ENVIRONMENT_DEVICE_IDS.aliceLaptop, agent: '', text: 'one' } },
					{ json: { device: ENVIRONMENT_DEVICE_IDS.oldDesktop, agent: '', text: 'two' } },
					{ json: { device: ENVIRONMENT_DEVICE_IDS.aliceLaptop, agent: 'agent-1', text: 'three' } },
					{ json: { device: ENVIRONMENT_DEVICE_IDS.buildServer, agent: '', text: '' } },
					{
						json: {
							device: ENVIRONMENT_DEVICE_IDS.aliceLaptop,
							agent: AGENT_IDS.translator,
							text: 'five',
						},
					},
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const items = outputOf(result, 'Env', 0);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items.map((item) => item.json.error ?? 'ok')).toEqual([
			'ok',
			'Environment "old-desktop" is offline [item 1]',
			'"agent-1" is not a Letta agent ID [item 2]',
			'The message text is empty [item 3]',
			'ok',
		]);
		expect(items[1].json.description).toMatch(/Start Letta Code/);
		expect((await environmentPosts()).filter((post) => post.status === 200)).toHaveLength(2);
	});

	it('never puts a refused key into errors or outputs', async () => {
		const refused = 'sk-refused-key-for-environments-1234';
		const result = await send(
			{ connection: device(ENVIRONMENT_DEVICE_IDS.aliceLaptop), text: 'hi' },
			{ apiKey: refused },
		);
		expect(failureOf(result).message).toBe('Letta rejected the API key (401) [item 0]');
		expectNoKey(result, refused);
	});
});
