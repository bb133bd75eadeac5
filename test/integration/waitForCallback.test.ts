import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { CALLBACK_ITEM_PARAM } from '../../nodes/LettaSendAgentMessage/waitForCallback';
import { errorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import { byId, runLettaNode, simulator } from './support';

const sim = simulator();

beforeEach(async () => {
	await sim.reset();
});

describe('Send Agent Message: Wait for Callback', () => {
	it('starts one background run per item with the resume URL (item marked) and leaves the execution waiting', async () => {
		const result = await runLettaNode(
			LettaSendAgentMessage,
			{
				agentId: byId(AGENT_IDS.customerSupport),
				text: '={{ $json.q }}',
				options: { waitMode: 'waitForCallback', callbackDeadlineMinutes: 5 },
			},
			{ items: [{ json: { q: 'one' } }, { json: { q: 'two' } }] },
		);
		expect(errorOf(result)).toBeUndefined();
		expect(result.run.waitTill).toBeInstanceOf(Date);
		const waitMs = (result.run.waitTill as Date).getTime() - Date.now();
		expect(waitMs).toBeGreaterThan(4 * 60_000);
		expect(waitMs).toBeLessThanOrEqual(5 * 60_000);

		const posts = await sim.requests({ method: 'POST', pathContains: '/messages/async' });
		expect(posts).toHaveLength(2);
		const urls = posts.map(
			(post) => new URL(String((post.body as { callback_url: string }).callback_url)),
		);
		expect(urls.map((url) => url.searchParams.get(CALLBACK_ITEM_PARAM))).toEqual(['0', '1']);
		expect(urls[0].pathname).toMatch(/\/webhook-waiting\/[^/]+$/);

		const waiting = outputOf(result, 'Letta', 0);
		expect(waiting).toHaveLength(2);
		expect(waiting[0].json).toMatchObject({ status: 'no_callback', waiting_for_callback: true });
		expect(String(waiting[0].json.run_id)).toMatch(/^run-/);
		expect(waiting.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('refuses a conversation (Letta has no async route for one) before sending anything', async () => {
		const result = await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.customerSupport),
			conversationId: byId(CONVERSATION_IDS.supportBilling),
			text: 'hi',
			options: { waitMode: 'waitForCallback' },
		});
		expect(errorOf(result)?.message).toMatch(/Wait for Callback cannot send to conversation/);
		expect(await sim.requests({ method: 'POST', pathContains: '/messages/async' })).toHaveLength(0);
	});
});

describe('Send Agent Message: Callback URL', () => {
	it('starts the run with the given callback_url and puts it out at once', async () => {
		const result = await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.customerSupport),
			text: 'hi',
			options: { callbackUrl: 'http://127.0.0.1:9/hook' },
		});
		expect(errorOf(result)).toBeUndefined();
		expect(result.run.waitTill).toBeFalsy();
		const [item] = outputOf(result, 'Letta', 0);
		expect(item.json).toMatchObject({ status: 'created', callback_url: 'http://127.0.0.1:9/hook' });
		const posts = await sim.requests({ method: 'POST', pathContains: '/messages/async' });
		expect(posts.map((post) => (post.body as { callback_url: string }).callback_url)).toEqual([
			'http://127.0.0.1:9/hook',
		]);
	});
});
