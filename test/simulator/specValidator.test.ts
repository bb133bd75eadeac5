/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * The validator really guards the contract: a misspelled body field never reaches the
 * simulator, a valid body does, and the simulator's answers pass response validation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_IDS, CONVERSATION_IDS, SEED_AGENTS } from './fixtures';
import { SimulatorControl } from './control';
import { callLetta } from './testClient';
import { startSpecValidator, type RunningSpecValidator } from './validator';

const control = SimulatorControl.fromEnv();

beforeEach(async () => {
	await control.reset();
});

describe('Prism spec validator (strict copy)', () => {
	it('refuses a misspelled field with 422 before it reaches the simulator', async () => {
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { messages: [{ role: 'user', content: 'hi' }], max_step: 3 },
		});
		expect(result.status).toBe(422);
		expect(result.text).toContain('max_step');
		expect(await control.requests({ pathContains: '/messages' })).toHaveLength(0);
	});

	it('refuses a misspelled field inside a message', async () => {
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { messages: [{ role: 'user', content: 'hi', otd: 'typo-of-otid' }] },
		});
		expect(result.status).toBe(422);
	});

	it('refuses a misspelled field inside an approval answer', async () => {
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.fileJanitor}/messages`, {
			body: {
				messages: [
					{
						type: 'approval',
						approvals: [
							{ type: 'approval', tool_call_id: 'call_x', approve: false, reasn: 'typo' },
						],
					},
				],
			},
		});
		expect(result.status).toBe(422);
	});

	it('passes a valid body through and validates the response', async () => {
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { messages: [{ role: 'user', content: 'hi' }], max_steps: 3 },
		});
		expect(result.status).toBe(200);
		expect(result.headers['sl-violations']).toBeUndefined();
		const requests = await control.requests({ pathContains: '/messages' });
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toEqual({ messages: [{ role: 'user', content: 'hi' }], max_steps: 3 });
	});
});

describe("Prism's 422 in Letta's shape (the validator's front)", () => {
	/** A refused request: 422, Letta's keys only, `detail` the repr of the pydantic list. */
	const expectLettaValidation = (result: Awaited<ReturnType<typeof callLetta>>): string => {
		expect(result.status).toBe(422);
		expect(result.headers['content-type']).toMatch(/^application\/json/);
		const body = result.json as Record<string, unknown>;
		expect(Object.keys(body).filter((key) => key !== 'examples')).toEqual(['trace_id', 'detail']);
		expect(body.trace_id).toBe('');
		expect(typeof body.detail).toBe('string');
		return body.detail as string;
	};
	const messagesPath = `/v1/agents/${AGENT_IDS.customerSupport}/messages`;

	it('an unknown field inside a message: extra_forbidden at its full path, the message Field required for what it lacks', async () => {
		const result = await callLetta('POST', messagesPath, {
			body: { messages: [{ role: 'user', contnet: 'hi' }] },
		});
		const detail = expectLettaValidation(result);
		expect(detail).toMatch(
			/^\[\{'type': 'missing', 'loc': \('body', 'messages', 0, 'content'\), 'msg': 'Field required', 'input': \{'role': 'user', 'contnet': 'hi'\}\}, /,
		);
		expect(detail).toContain(
			"{'type': 'extra_forbidden', 'loc': ('body', 'messages', 0, 'contnet'), 'msg': 'Extra inputs are not permitted', 'input': 'hi'}",
		);
		expect(await control.requests({ pathContains: '/messages' })).toHaveLength(0);
	});

	it('a wrong type: int_parsing for a string, list_type for a bare string where a list goes', async () => {
		const wrong = await callLetta('POST', messagesPath, {
			body: { messages: [{ role: 'user', content: 'hi' }], max_steps: 'three' },
		});
		expect(expectLettaValidation(wrong)).toBe(
			"[{'type': 'int_parsing', 'loc': ('body', 'max_steps'), 'msg': 'Input should be a valid integer, unable to parse string as an integer', 'input': 'three'}]",
		);
		const bare = await callLetta('POST', messagesPath, {
			body: {
				messages: [{ role: 'user', content: 'hi' }],
				include_return_message_types: 'assistant_message',
			},
		});
		expect(expectLettaValidation(bare)).toBe(
			"[{'type': 'list_type', 'loc': ('body', 'include_return_message_types'), 'msg': 'Input should be a valid list', 'input': 'assistant_message'}]",
		);
	});

	it('a missing required field: missing, with the object that lacks it as input', async () => {
		const result = await callLetta(
			'POST',
			`/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`,
			{
				body: {
					messages: [{ type: 'approval', approvals: [{ type: 'approval', approve: true }] }],
				},
			},
		);
		expect(expectLettaValidation(result)).toContain(
			"{'type': 'missing', 'loc': ('body', 'messages', 0, 'approvals', 0, 'tool_call_id'), 'msg': 'Field required', 'input': {'type': 'approval', 'approve': True}}",
		);
	});

	it('a bad query value: int_parsing, and an enum item with what pydantic expects', async () => {
		const limit = await callLetta('GET', `${messagesPath}?limit=many`);
		expect(expectLettaValidation(limit)).toBe(
			"[{'type': 'int_parsing', 'loc': ('query', 'limit'), 'msg': 'Input should be a valid integer, unable to parse string as an integer', 'input': 'many'}]",
		);
		const type = await callLetta(
			'GET',
			`${messagesPath}?include_return_message_types=assistant_mesage`,
		);
		const detail = expectLettaValidation(type);
		expect(detail).toContain(
			"'type': 'enum', 'loc': ('query', 'include_return_message_types', 0), 'msg': \"Input should be 'system_message', 'user_message', 'assistant_message',",
		);
		expect(detail).toContain("'input': 'assistant_mesage'");
	});

	it("a malformed <primitive>_id path parameter: Letta's pattern message and top-level examples", async () => {
		const result = await callLetta('GET', '/v1/agents/bogus/messages');
		expectLettaValidation(result);
		expect(result.json).toEqual({
			trace_id: '',
			detail:
				"[{'type': 'string_pattern_mismatch', 'loc': ('path', 'agent_id'), 'msg': \"String should match pattern 'agent-{uuid4}'\", 'input': 'bogus', 'ctx': {'pattern': '^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'}}]",
			examples: ['agent-123e4567-e89b-42d3-8456-426614174000'],
		});
	});

	it("passes other answers through with Prism's headers (a 404 the spec does not document keeps sl-violations)", async () => {
		const result = await callLetta('GET', '/v1/agents/agent-00000000-0000-4000-8000-000000000000');
		expect(result.status).toBe(404);
		expect(result.headers['sl-violations']).toEqual(expect.any(String));
		expect(result.json).toEqual({
			detail: 'Agent with ID agent-00000000-0000-4000-8000-000000000000 not found',
		});
	});

	it("leaves the simulator's own 422 untouched", async () => {
		const result = await callLetta('POST', messagesPath, { body: { messages: [] } });
		expect(result.status).toBe(422);
		expect(result.json).toEqual({ detail: 'Messages must not be empty' });
	});
});

describe('Prism spec validator (array query parameters)', () => {
	/** Seeded agent names with any (or all) of the tags, newest first as the listing sorts them. */
	const namesTagged = (tags: string[], all = false): string[] =>
		SEED_AGENTS.filter((agent) =>
			all
				? tags.every((tag) => agent.tags.includes(tag))
				: tags.some((tag) => agent.tags.includes(tag)),
		)
			.map((agent) => agent.name)
			.reverse();
	const listNames = async (query: string): Promise<string[]> => {
		const result = await callLetta('GET', `/v1/agents/${query}`);
		expect(result.status).toBe(200);
		return (result.json as Array<{ name: string }>).map((agent) => agent.name);
	};

	it('passes a single tags value (Letta reads it as a one-element list) and the simulator filters by it', async () => {
		const names = await listNames('?tags=ops');
		expect(names).toEqual(namesTagged(['ops']));
		expect(names.length).toBeGreaterThan(0);
		expect(names.length).toBeLessThan(SEED_AGENTS.length);
		const [request] = await control.requests({ pathContains: '/v1/agents/' });
		expect(request.query.tags).toEqual(['ops']);
	});

	it('passes repeated tags values, every one of them honoured', async () => {
		const any = await listNames('?tags=ops&tags=support');
		expect(any).toEqual(namesTagged(['ops', 'support']));
		expect(any).toEqual(expect.arrayContaining(['Customer Support', 'File Janitor']));
		const all = await listNames('?tags=ops&tags=approval&match_all_tags=true');
		expect(all).toEqual(namesTagged(['ops', 'approval'], true));
		expect(await listNames('?tags=ops&tags=support&match_all_tags=true')).toEqual([]);
	});

	it('passes single values of the runs filters and the include_return_message_types of a history read', async () => {
		const sent = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { messages: [{ role: 'user', content: 'hi' }] },
		});
		expect(sent.status).toBe(200);
		const completed = await callLetta('GET', '/v1/runs/?statuses=completed');
		expect(completed.status).toBe(200);
		expect(completed.json).toMatchObject([
			{ agent_id: AGENT_IDS.customerSupport, status: 'completed' },
		]);
		const failed = await callLetta('GET', '/v1/runs/?statuses=failed');
		expect(failed.status).toBe(200);
		expect(failed.json).toEqual([]);
		const history = await callLetta(
			'GET',
			`/v1/agents/${AGENT_IDS.customerSupport}/messages?include_return_message_types=assistant_message`,
		);
		expect(history.status).toBe(200);
		expect((history.json as Array<{ message_type: string }>).map((m) => m.message_type)).toEqual([
			'assistant_message',
		]);
	});

	it('still refuses a value outside the items schema', async () => {
		const result = await callLetta(
			'GET',
			`/v1/agents/${AGENT_IDS.customerSupport}/messages?include_return_message_types=assistant_mesage`,
		);
		expect(result.status).toBe(422);
		expect(result.text).toContain('include_return_message_types');
		expect(await control.requests({ pathContains: '/messages' })).toHaveLength(0);
	});

	it('still refuses a deprecated parameter (agent_ids): use agent_id', async () => {
		// Prism turns the spec's `deprecated: true` into a 422 of its own (Letta accepts it);
		// the array shape is not the reason any more.
		const result = await callLetta('GET', `/v1/runs/?agent_ids=${AGENT_IDS.customerSupport}`);
		expect(result.status).toBe(422);
		expect(result.text).toContain('Query param agent_ids is deprecated');
		expect(result.text).not.toContain('"severity":"Error"');
		const replacement = await callLetta('GET', `/v1/runs/?agent_id=${AGENT_IDS.customerSupport}`);
		expect(replacement.status).toBe(200);
	});

	it('keeps request bodies strict: a misspelled field and a bare string for a list field are refused', async () => {
		const path = `/v1/agents/${AGENT_IDS.customerSupport}/messages`;
		const misspelled = await callLetta('POST', path, {
			body: {
				messages: [{ role: 'user', content: 'hi' }],
				include_return_message_type: ['assistant_message'],
			},
		});
		expect(misspelled.status).toBe(422);
		expect(misspelled.text).toContain('include_return_message_type');
		const bareString = await callLetta('POST', path, {
			body: {
				messages: [{ role: 'user', content: 'hi' }],
				include_return_message_types: 'assistant_message',
			},
		});
		expect(bareString.status).toBe(422);
		expect(await control.requests({ pathContains: '/messages' })).toHaveLength(0);
	});
});

describe('Prism spec validator (responses)', () => {
	let upstream: Server;
	let validator: RunningSpecValidator;

	beforeAll(async () => {
		// An upstream that breaks the contract: an AgentState without its required fields.
		upstream = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id: AGENT_IDS.customerSupport, name: 'Broken' }));
		});
		await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
		const { port } = upstream.address() as AddressInfo;
		validator = await startSpecValidator({ upstreamUrl: `http://127.0.0.1:${port}` });
	});

	afterAll(async () => {
		await validator?.close();
		await new Promise<void>((resolve) => upstream.close(() => resolve()));
	});

	it('turns a response that breaks the spec into a 500 listing the violations', async () => {
		const result = await callLetta('GET', `/v1/agents/${AGENT_IDS.customerSupport}`, {
			baseUrl: validator.url,
		});
		expect(result.status).toBe(500);
		expect(result.text).toContain('VIOLATIONS');
		expect(result.text).toContain("must have required property 'system'");
	});

	it('stops Prism on close: the port no longer answers', async () => {
		const url = validator.url;
		await validator.close();
		await expect(callLetta('GET', '/v1/agents/', { baseUrl: url })).rejects.toThrow();
	});
});
