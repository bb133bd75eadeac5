import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { errorOf, outputOf } from '../harness/runWorkflow';
import {
	AGENT_IDS,
	CONVERSATION_IDS,
	SEED_AGENTS,
	SIMULATOR_API_KEY,
	UNKNOWN_AGENT_ID,
} from '../simulator/fixtures';
import {
	plainRequest,
	byId,
	lettaApiUrl,
	messagePosts as postsTo,
	runLettaNode,
	runListSearch,
	simulator,
} from './support';

const agentName = (id: string) => SEED_AGENTS.find((agent) => agent.id === id)!.name;
const sim = simulator();
/** A key the simulator refuses: it must not show up anywhere either. */
const refusedKeyValue = 'sk-dummy-refused-key-987654';
const PNG_1X1 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** These cases pin the Plain Request wire format (the other wait modes: waitModes.test.ts). */
const send = async (
	parameters: Parameters<typeof runLettaNode>[1],
	options: Parameters<typeof runLettaNode>[2] = {},
) => await runLettaNode(LettaSendAgentMessage, plainRequest(parameters), options);

const messagePosts = async () => await postsTo(sim);

beforeEach(async () => {
	await sim.reset();
});

describe('Send Agent Message: text', () => {
	it('sends the text, authenticated by the credential, and puts the reply on Completed', async () => {
		const result = await send(
			{ agentId: byId(AGENT_IDS.customerSupport), text: '={{ $json.question }}' },
			{ items: [{ json: { question: 'Where is my invoice?' } }] },
		);
		expect(errorOf(result)).toBeUndefined();
		const [completed] = outputOf(result, 'Letta', 0).map((item) => item);
		expect(completed.json).toMatchObject({
			reply: `${agentName(AGENT_IDS.customerSupport)} heard: Where is my invoice?`,
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.customerSupport,
			conversation_id: null,
			pending_approvals: [],
			answer_to: null,
		});
		expect(completed.json.run_id).toMatch(/^run-/);
		expect(completed.json.usage).toMatchObject({ message_type: 'usage_statistics' });
		expect(completed.pairedItem).toEqual({ item: 0 });
		expect(outputOf(result, 'Letta', 1)).toEqual([]);

		const [request] = await messagePosts();
		expect(request.path).toBe(`/v1/agents/${AGENT_IDS.customerSupport}/messages`);
		expect(request.authorized).toBe(true);
		expect(request.projectId).toBeNull();
		expect(request.body).toEqual({ messages: [{ role: 'user', content: 'Where is my invoice?' }] });
	});

	it('sends role, sender name and the options under their spec names, and the project header', async () => {
		await send(
			{
				agentId: byId(AGENT_IDS.translator),
				role: 'system',
				text: 'Be brief.',
				options: {
					senderName: 'scheduler',
					maxSteps: 3,
					returnMessageTypes: ['assistant_message'],
					enableThinking: false,
					useAssistantMessage: true,
				},
			},
			{ credentials: { projectId: 'project-42' } },
		);
		const [request] = await messagePosts();
		expect(request.projectId).toBe('project-42');
		expect(request.body).toEqual({
			messages: [{ role: 'system', content: 'Be brief.', name: 'scheduler' }],
			max_steps: 3,
			include_return_message_types: ['assistant_message'],
			enable_thinking: 'false',
			use_assistant_message: true,
		});
	});

	it('works with a base URL that ends in /v1/', async () => {
		const result = await send(
			{ agentId: byId(AGENT_IDS.translator), text: 'hola' },
			{ credentials: { baseUrl: `${lettaApiUrl()}/v1/` } },
		);
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toBe(
			`${agentName(AGENT_IDS.translator)} heard: hola`,
		);
	});

	it('takes the agent from a Letta app URL', async () => {
		const result = await send({
			agentId: {
				__rl: true,
				mode: 'url',
				value: `https://app.letta.com/projects/default/agents/${AGENT_IDS.dataAnalyst}`,
			},
			text: 'numbers?',
		});
		expect(outputOf(result, 'Letta', 0)[0].json.agent_id).toBe(AGENT_IDS.dataAnalyst);
	});
});

describe('Send Agent Message: images and JSON', () => {
	it("sends images from the item's binary fields as base64 content parts", async () => {
		const result = await send(
			{
				agentId: byId(AGENT_IDS.customerSupport),
				messageInput: 'textAndImages',
				imageText: 'What is this?',
				binaryFields: 'photo',
			},
			{
				items: [
					{
						json: {},
						binary: { photo: { data: PNG_1X1, mimeType: 'image/png', fileName: 'dot.png' } },
					},
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const [request] = await messagePosts();
		expect(request.body).toEqual({
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'What is this?' },
						{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
					],
				},
			],
		});
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toMatch(/What is this\? \[\+1 image/);
	});

	it('refuses a binary field that is not an image, naming item and field, before any request', async () => {
		const result = await send(
			{
				agentId: byId(AGENT_IDS.customerSupport),
				messageInput: 'textAndImages',
				binaryFields: 'doc',
			},
			{
				items: [
					{
						json: {},
						binary: {
							doc: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain' },
						},
					},
				],
			},
		);
		expect(errorOf(result)?.message).toMatch(
			/Binary field "doc" is not an image \(text\/plain\) \[item 0\]/,
		);
		expect(await messagePosts()).toHaveLength(0);
	});

	it('sends a JSON messages array and an input value from expressions', async () => {
		const result = await send(
			{
				agentId: byId(AGENT_IDS.customerSupport),
				messageInput: 'json',
				messagesJson: '={{ $json.payload }}',
			},
			{
				items: [
					{
						json: {
							payload: {
								messages: [
									{ role: 'user', content: [{ type: 'text', text: 'from json' }], otid: 'otid-1' },
								],
							},
						},
					},
					{ json: { payload: { input: 'plain input' } } },
					{ json: { payload: [{ role: 'user', content: 'bare array' }] } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		expect(outputOf(result, 'Letta', 0).map((item) => item.json.reply)).toEqual([
			`${agentName(AGENT_IDS.customerSupport)} heard: from json`,
			`${agentName(AGENT_IDS.customerSupport)} heard: plain input`,
			`${agentName(AGENT_IDS.customerSupport)} heard: bare array`,
		]);
		const bodies = (await messagePosts()).map((request) => request.body);
		expect(bodies[1]).toEqual({ input: 'plain input' });
	});

	it('names the item and the bad path of invalid JSON input, and sends nothing', async () => {
		const result = await send(
			{
				agentId: byId(AGENT_IDS.customerSupport),
				messageInput: 'json',
				messagesJson: '={{ $json.payload }}',
			},
			{
				items: [
					{ json: { payload: { messages: [{ role: 'user', content: 'fine' }] } } },
					{ json: { payload: { messages: [{ role: 'user', contnet: 'typo' }] } } },
				],
			},
		);
		const error = errorOf(result);
		expect(error?.message).toMatch(/\[item 1\]/);
		expect(error?.message).toMatch(/messages\.0/);
		expect(await messagePosts()).toHaveLength(0);
	});
});

describe('Send Agent Message: conversations and approvals', () => {
	it('sends to the conversation endpoint with streaming off', async () => {
		const result = await send({
			agentId: byId(AGENT_IDS.customerSupport),
			conversationId: { __rl: true, mode: 'id', value: CONVERSATION_IDS.supportBilling },
			text: 'refund?',
		});
		expect(outputOf(result, 'Letta', 0)[0].json).toMatchObject({
			conversation_id: CONVERSATION_IDS.supportBilling,
			reply: `${agentName(AGENT_IDS.customerSupport)} heard: refund?`,
		});
		const [request] = await messagePosts();
		expect(request.path).toBe(`/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`);
		expect(request.body).toEqual({
			messages: [{ role: 'user', content: 'refund?' }],
			streaming: false,
		});
	});

	it('routes an agent that stops for approval to Needs Approval, with its pending tool calls', async () => {
		const result = await send(
			{
				agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}',
				text: '={{ $json.text }}',
			},
			{
				items: [
					{ json: { agent: AGENT_IDS.fileJanitor, text: '/tmp/old.log' } },
					{ json: { agent: AGENT_IDS.customerSupport, text: 'hi' } },
					{ json: { agent: AGENT_IDS.releaseManager, text: 'v2.0' } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const completed = outputOf(result, 'Letta', 0);
		const needsApproval = outputOf(result, 'Letta', 1);
		expect(completed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(needsApproval.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);

		const [janitor, release] = needsApproval.map((item) => item.json);
		expect(janitor.stop_reason).toBe('requires_approval');
		expect(janitor.pending_approvals).toEqual([
			expect.objectContaining({
				tool_name: 'delete_file',
				arguments: expect.objectContaining({ path: '/tmp/old.log' }),
			}),
		]);
		expect(release.pending_approvals).toHaveLength(2);
		expect(release.answer_to).toEqual({
			agent_id: AGENT_IDS.releaseManager,
			conversation_id: null,
			approval_request_id: expect.stringMatching(/^message-/),
			tool_call_ids: (release.pending_approvals as Array<{ tool_call_id: string }>).map(
				(call) => call.tool_call_id,
			),
		});
	});
});

describe('Send Agent Message: many items', () => {
	it('sends 40 items over 4 agents concurrently, one at a time per agent, in order, with no 409', async () => {
		await sim.setLatency(25);
		const agents = [
			AGENT_IDS.customerSupport,
			AGENT_IDS.salesAssistant,
			AGENT_IDS.newsletterWriter,
			AGENT_IDS.dataAnalyst,
		];
		const items = Array.from({ length: 40 }, (_, index) => ({
			json: { agent: agents[index % 4], text: `message ${index}` },
		}));
		const result = await send(
			{
				agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}',
				text: '={{ $json.text }}',
				options: { concurrency: 4 },
			},
			{ items },
		);
		expect(errorOf(result)).toBeUndefined();
		const output = outputOf(result, 'Letta', 0);
		expect(output.map((item) => item.pairedItem)).toEqual(
			items.map((_, index) => ({ item: index })),
		);
		expect(output.map((item) => item.json.reply)).toEqual(
			items.map((item) => `${agentName(item.json.agent)} heard: ${item.json.text}`),
		);

		const posts = await messagePosts();
		expect(posts).toHaveLength(40);
		expect(posts.filter((request) => request.status === 409)).toHaveLength(0);
		for (const agent of agents) {
			const sent = posts
				.filter((request) => request.path.includes(agent))
				.sort((a, b) => a.sequence - b.sequence)
				.map(
					(request) =>
						(request.body as { messages: Array<{ content: string }> }).messages[0].content,
				);
			expect(sent).toEqual(
				items.filter((item) => item.json.agent === agent).map((item) => item.json.text),
			);
		}
		// Concurrency really happened: some requests to different agents overlapped in time.
		const overlapping = posts.some((a) =>
			posts.some(
				(b) => a !== b && a.startedAt < (b.finishedAt ?? '') && b.startedAt < (a.finishedAt ?? ''),
			),
		);
		expect(overlapping).toBe(true);
	});
});

describe('Send Agent Message: errors', () => {
	it('refuses a malformed agent id before any request, naming the item', async () => {
		// Typed in the field, n8n itself flags it from the locator's validation rule...
		await expect(send({ agentId: byId('agent-123'), text: 'hi' })).rejects.toThrow(
			/Not a Letta agent ID/,
		);
		// ...mapped from an item, the node checks it before sending anything.
		const mapped = await send(
			{ agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}', text: 'hi' },
			{ items: [{ json: { agent: AGENT_IDS.customerSupport } }, { json: { agent: 'agent-123' } }] },
		);
		expect(errorOf(mapped)?.message).toBe('"agent-123" is not a Letta agent ID [item 1]');
		expect(await messagePosts()).toHaveLength(0);
	});

	it('says to check the credential on 401', async () => {
		const result = await send(
			{ agentId: byId(AGENT_IDS.customerSupport), text: 'hi' },
			{ credentials: { apiKey: 'sk-dummy-wrong-key-123456' } },
		);
		const error = errorOf(result);
		expect(error?.message).toMatch(/rejected the API key \(401\) \[item 0\]/);
		expect(JSON.stringify(error)).toMatch(/credential/);
	});

	it('names the agent that was not found on 404', async () => {
		const result = await send({ agentId: byId(UNKNOWN_AGENT_ID), text: 'hi' });
		expect(errorOf(result)?.message).toBe(
			`Letta could not find agent ${UNKNOWN_AGENT_ID} (404) [item 0]`,
		);
	});

	it('explains a pending approval on 409 and how to answer it', async () => {
		await sim.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor, text: '/var/tmp' });
		const result = await send({ agentId: byId(AGENT_IDS.fileJanitor), text: 'anything else?' });
		const error = errorOf(result) as (Error & { description?: string }) | undefined;
		expect(error?.message).toMatch(
			new RegExp(
				`^Agent ${AGENT_IDS.fileJanitor} is waiting for a tool approval \\(approval request message-[\\w-]+\\), so Letta refused the message \\(409\\) \\[item 0\\]$`,
			),
		);
		expect(error?.description).toMatch(/Answer Approval/);
	});

	it('retries 429 with Retry-After and 503, then succeeds', async () => {
		await sim.addFault({ status: 429, count: 1, retryAfterSeconds: 1, pathContains: '/messages' });
		await sim.addFault({ status: 503, count: 1, pathContains: '/messages' });
		const started = Date.now();
		const result = await send({ agentId: byId(AGENT_IDS.customerSupport), text: 'eventually' });
		expect(errorOf(result)).toBeUndefined();
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toMatch(/eventually/);
		expect((await messagePosts()).map((request) => request.status)).toEqual([429, 503, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('gives up after a bounded number of 503s, and never resends after a 500', async () => {
		await sim.addFault({ status: 503, count: 10, pathContains: '/messages' });
		const result = await send({ agentId: byId(AGENT_IDS.customerSupport), text: 'x' });
		expect(errorOf(result)?.message).toMatch(/503/);
		expect(await messagePosts()).toHaveLength(4);

		await sim.reset();
		await sim.addFault({ status: 500, count: 1, pathContains: '/messages' });
		const failed = await send({ agentId: byId(AGENT_IDS.customerSupport), text: 'y' });
		expect(errorOf(failed)?.message).toMatch(/Letta API error 500/);
		expect(await messagePosts()).toHaveLength(1);
	});

	it('with continue-on-fail puts one error item per failed item on Completed, paired, nothing dropped', async () => {
		const result = await send(
			{
				agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}',
				text: '={{ $json.text }}',
			},
			{
				onError: 'continueRegularOutput',
				items: [
					{ json: { agent: AGENT_IDS.customerSupport, text: 'ok 1' } },
					{ json: { agent: 'agent-bad', text: 'bad id' } },
					{ json: { agent: UNKNOWN_AGENT_ID, text: 'unknown' } },
					{ json: { agent: AGENT_IDS.customerSupport, text: '' } },
					{ json: { agent: AGENT_IDS.fileJanitor, text: '/tmp/x' } },
				],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const completed = outputOf(result, 'Letta', 0);
		const needsApproval = outputOf(result, 'Letta', 1);
		expect(completed.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(needsApproval.map((item) => item.pairedItem)).toEqual([{ item: 4 }]);
		expect(completed[1].json.error).toBe('"agent-bad" is not a Letta agent ID [item 1]');
		expect(completed[2].json.error).toMatch(/could not find agent/);
		expect(completed[3].json.error).toBe('The message text is empty [item 3]');
		expect(completed[3].json.description).toMatch(/Fill in "Text"/);
	});

	it('never puts the API key in an output item or an error', async () => {
		const outputs: unknown[] = [];
		for (const apiKey of [SIMULATOR_API_KEY, refusedKeyValue]) {
			await sim.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor, text: '/x' });
			await sim.addFault({ status: 503, count: 10, pathContains: AGENT_IDS.dataAnalyst });
			for (const onError of ['continueRegularOutput', undefined] as const) {
				const result = await send(
					{ agentId: '={{ { __rl: true, mode: "id", value: $json.agent } }}', text: 'x' },
					{
						credentials: { apiKey },
						onError,
						items: [
							AGENT_IDS.customerSupport,
							AGENT_IDS.fileJanitor,
							UNKNOWN_AGENT_ID,
							AGENT_IDS.dataAnalyst,
						].map((agent) => ({ json: { agent } })),
					},
				);
				outputs.push(
					result.run.data.resultData,
					errorOf(result)?.message,
					(errorOf(result) as { description?: string })?.description,
				);
			}
			await sim.reset();
		}
		const text = JSON.stringify(outputs);
		expect(text).toMatch(/error/);
		expect(text).not.toContain(SIMULATOR_API_KEY);
		expect(text).not.toContain(refusedKeyValue);
	});
});

describe('Send Agent Message: agent list search', () => {
	it('lists agents by name, pages with after, and filters with query_text', async () => {
		const all = await runListSearch(LettaSendAgentMessage, 'searchAgents', {});
		expect(all.results.map((result) => result.value).sort()).toEqual(
			SEED_AGENTS.map((agent) => agent.id).sort(),
		);
		expect(all.results.find((result) => result.value === AGENT_IDS.fileJanitor)?.name).toBe(
			'File Janitor (approval, ops)',
		);

		const filtered = await runListSearch(LettaSendAgentMessage, 'searchAgents', {}, 'janitor');
		expect(filtered.results.map((result) => result.value)).toEqual([AGENT_IDS.fileJanitor]);
		const [request] = (await sim.requests({ method: 'GET', pathContains: '/v1/agents/' })).slice(
			-1,
		);
		expect(request.query.query_text).toEqual(['janitor']);
	});

	it('asks for the next page with after = the token of the previous page', async () => {
		const page = await runListSearch(
			LettaSendAgentMessage,
			'searchAgents',
			{},
			undefined,
			AGENT_IDS.translator,
		);
		const [request] = (await sim.requests({ method: 'GET', pathContains: '/v1/agents/' })).slice(
			-1,
		);
		expect(request.query.after).toEqual([AGENT_IDS.translator]);
		expect(page.results.map((result) => result.value)).not.toContain(AGENT_IDS.translator);
		expect(page.results.length).toBeGreaterThan(0);
	});

	it("lists an agent's conversations for the conversation picker", async () => {
		const result = await runListSearch(LettaSendAgentMessage, 'searchConversations', {
			agentId: byId(AGENT_IDS.customerSupport),
		});
		expect(result.results.map((entry) => entry.value).sort()).toEqual(
			[CONVERSATION_IDS.supportBilling, CONVERSATION_IDS.supportOnboarding].sort(),
		);
	});
});
