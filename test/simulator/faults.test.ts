/** Injected faults and latency from the control API, as a client sees them through Prism. */
import { SimulatorControl } from './control';
import { AGENT_IDS } from './fixtures';
import { callLetta } from './testClient';

const control = SimulatorControl.fromEnv();

beforeEach(async () => {
	await control.reset();
});

describe('faults', () => {
	it('answers the next N matching requests with 429 and Retry-After, then recovers', async () => {
		await control.addFault({
			status: 429,
			count: 2,
			retryAfterSeconds: 0.2,
			pathContains: '/messages',
		});
		const path = `/v1/agents/${AGENT_IDS.customerSupport}/messages`;
		const first = await callLetta('POST', path, { body: { input: 'a' } });
		expect(first.status).toBe(429);
		expect(first.headers['retry-after']).toBe('1');
		expect(first.headers['retry-after-ms']).toBe('200');
		expect((first.json as { detail: string }).detail).toMatch(/^RATE_LIMITED: /);
		// A non-matching path is untouched and does not use up the fault.
		expect((await callLetta('GET', '/v1/agents/?limit=1')).status).toBe(200);
		expect((await callLetta('POST', path, { body: { input: 'b' } })).status).toBe(429);
		expect((await callLetta('POST', path, { body: { input: 'c' } })).status).toBe(200);
		expect(await control.faults()).toHaveLength(0);
		// Faulted requests are refused before processing: only the last one made a run.
		expect((await control.state()).runs).toHaveLength(1);
	});

	it('429 always carries Retry-After, even without retryAfterSeconds', async () => {
		await control.addFault({ status: 429 });
		const result = await callLetta('GET', '/v1/agents/');
		expect(result.status).toBe(429);
		expect(result.headers['retry-after']).toBe('1');
	});

	it('serves 503 and 500 with default details, a custom body, and filters by method', async () => {
		await control.addFault({ status: 503, method: 'POST' });
		await control.addFault({ status: 500, body: { detail: 'INTERNAL_SERVER_ERROR: custom' } });
		expect((await callLetta('GET', '/v1/agents/')).status).toBe(500);
		const unavailable = await callLetta(
			'POST',
			`/v1/agents/${AGENT_IDS.customerSupport}/messages`,
			{ body: { input: 'x' } },
		);
		expect(unavailable.status).toBe(503);
		expect((unavailable.json as { detail: string }).detail).toMatch(/^SERVICE_UNAVAILABLE: /);
	});

	it('records faulted requests with the status they were answered', async () => {
		await control.addFault({ status: 503 });
		await callLetta('GET', '/v1/agents/');
		const [recorded] = await control.requests();
		expect(recorded).toMatchObject({
			method: 'GET',
			path: '/v1/agents/',
			status: 503,
			authorized: true,
		});
	});

	it('clearFaults removes pending faults', async () => {
		await control.addFault({ status: 500, count: 5 });
		await control.clearFaults();
		expect((await callLetta('GET', '/v1/agents/')).status).toBe(200);
	});
});

describe('latency', () => {
	it('delays message turns by the configured time', async () => {
		await control.setLatency(300);
		const started = Date.now();
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { input: 'slow' },
		});
		expect(result.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect((await control.settings()).latencyMs).toBe(300);
		await control.reset();
		expect((await control.settings()).latencyMs).toBe(0);
	});

	it('sends pings while a streamed turn is slow, before the messages', async () => {
		await control.setLatency(250, 50);
		const result = await callLetta('POST', `/v1/agents/${AGENT_IDS.customerSupport}/messages`, {
			body: { input: 'ping me', streaming: true },
			headers: { 'X-Stainless-Package-Version': '1.0.0' },
		});
		const pingIndex = result.text.indexOf('"message_type":"ping"');
		expect(pingIndex).toBeGreaterThan(-1);
		expect(pingIndex).toBeLessThan(result.text.indexOf('"message_type":"assistant_message"'));
	});
});
