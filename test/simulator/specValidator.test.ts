/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * The validator really guards the contract: a misspelled body field never reaches the
 * simulator, a valid body does, and the simulator's answers pass response validation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_IDS } from './fixtures';
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
