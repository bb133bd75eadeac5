/**
 * The validator really guards the contract: a misspelled body field never reaches the
 * simulator, a valid body does, and the simulator's answers pass response validation.
 */
import { AGENT_IDS } from './fixtures';
import { SimulatorControl } from './control';
import { callLetta } from './testClient';

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
