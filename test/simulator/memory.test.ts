/**
 * Memory blocks, archival memory, run details and cancel, agent and conversation updates:
 * through Prism (so every answer is checked against the spec too), with Letta's error bodies.
 */
import { SimulatorControl } from './control';
import {
	AGENT_IDS,
	agentBlockId,
	BLOCK_IDS,
	CONVERSATION_IDS,
	HUMAN_BLOCK_SEED_VALUE,
	PASSAGE_IDS,
	UNKNOWN_AGENT_ID,
	UNKNOWN_BLOCK_ID,
	UNKNOWN_PASSAGE_ID,
} from './fixtures';
import {
	blockLabelNotFound,
	blockNotAttached,
	blockNotFound,
	conversationNotFound,
	noActiveRunsToCancel,
	passageNotFound,
	recordNotFound,
} from './lettaErrors';
import { callLetta } from './testClient';

const control = SimulatorControl.fromEnv();
const support = AGENT_IDS.customerSupport;

beforeEach(async () => {
	await control.reset();
});

type Json = Record<string, unknown>;

async function ok(result: Promise<{ status: number; json: unknown }>): Promise<unknown> {
	const answer = await result;
	expect(answer.status).toBe(200);
	return answer.json;
}

describe('core memory blocks', () => {
	it('lists an agent’s blocks, newest first by default: its own and the shared company block', async () => {
		const blocks = (await ok(
			callLetta('GET', `/v1/agents/${support}/core-memory/blocks`),
		)) as Json[];
		expect(blocks.map((block) => block.label)).toEqual(['company', 'human', 'persona']);
		const asc = (await ok(
			callLetta('GET', `/v1/agents/${support}/core-memory/blocks?order=asc&limit=2`),
		)) as Json[];
		expect(asc.map((block) => block.label)).toEqual(['persona', 'human']);
	});

	it('reads a block by label and by id; an unknown label or id is 404 with Letta’s text', async () => {
		const human = (await ok(
			callLetta('GET', `/v1/agents/${support}/core-memory/blocks/human`),
		)) as Json;
		expect(human).toMatchObject({ id: agentBlockId(support, 1), value: HUMAN_BLOCK_SEED_VALUE });
		expect(await ok(callLetta('GET', `/v1/blocks/${BLOCK_IDS.company}`))).toMatchObject({
			label: 'company',
		});
		const missingLabel = await callLetta('GET', `/v1/agents/${support}/core-memory/blocks/nope`);
		expect(missingLabel).toMatchObject({
			status: 404,
			json: { detail: blockLabelNotFound('nope', support) },
		});
		const missingId = await callLetta('GET', `/v1/blocks/${UNKNOWN_BLOCK_ID}`);
		expect(missingId).toMatchObject({
			status: 404,
			json: { detail: blockNotFound(UNKNOWN_BLOCK_ID) },
		});
	});

	it('updates a value by label (the shared block changes for every agent) and by id', async () => {
		await ok(
			callLetta('PATCH', `/v1/agents/${support}/core-memory/blocks/company`, {
				body: { value: 'Acme is closed on Fridays.' },
			}),
		);
		expect(
			await ok(
				callLetta('GET', `/v1/agents/${AGENT_IDS.salesAssistant}/core-memory/blocks/company`),
			),
		).toMatchObject({ value: 'Acme is closed on Fridays.' });
		await ok(callLetta('PATCH', `/v1/blocks/${BLOCK_IDS.company}`, { body: { value: 'v3' } }));
		expect(await ok(callLetta('GET', `/v1/blocks/${BLOCK_IDS.company}`))).toMatchObject({
			value: 'v3',
		});
		const missing = await callLetta('PATCH', `/v1/blocks/${UNKNOWN_BLOCK_ID}`, {
			body: { value: 'x' },
		});
		expect(missing).toMatchObject({
			status: 404,
			json: { detail: recordNotFound('Block', UNKNOWN_BLOCK_ID) },
		});
	});

	it('attaches a shared block (twice changes nothing) and detaches it; detaching again is 404', async () => {
		const path = `/v1/agents/${support}/core-memory/blocks`;
		await ok(callLetta('PATCH', `${path}/attach/${BLOCK_IDS.escalationPolicy}`));
		const agent = (await ok(
			callLetta('PATCH', `${path}/attach/${BLOCK_IDS.escalationPolicy}`),
		)) as {
			blocks: Json[];
		};
		expect(agent.blocks.filter((block) => block.id === BLOCK_IDS.escalationPolicy)).toHaveLength(1);
		await ok(callLetta('PATCH', `${path}/detach/${BLOCK_IDS.escalationPolicy}`));
		const again = await callLetta('PATCH', `${path}/detach/${BLOCK_IDS.escalationPolicy}`);
		expect(again).toMatchObject({
			status: 404,
			json: { detail: blockNotAttached(BLOCK_IDS.escalationPolicy, support) },
		});
		const unknown = await callLetta('PATCH', `${path}/attach/${UNKNOWN_BLOCK_ID}`);
		expect(unknown).toMatchObject({
			status: 404,
			json: { detail: recordNotFound('Block', UNKNOWN_BLOCK_ID) },
		});
	});
});

describe('archival memory', () => {
	const path = `/v1/agents/${support}/archival-memory`;

	it('inserts a passage with tags and lists it after the seeded ones', async () => {
		const [created] = (await ok(
			callLetta('POST', path, { body: { text: 'Gift cards never expire.', tags: ['gift-cards'] } }),
		)) as Json[];
		expect(created).toMatchObject({ text: 'Gift cards never expire.', tags: ['gift-cards'] });
		expect(created.id).toMatch(/^passage-/);
		const listed = (await ok(callLetta('GET', path))) as Json[];
		expect(listed.map((passage) => passage.id)).toEqual([
			PASSAGE_IDS.refundPolicy,
			PASSAGE_IDS.shippingTimes,
			PASSAGE_IDS.invoiceCopies,
			created.id,
		]);
		const newest = (await ok(callLetta('GET', `${path}?ascending=false&limit=1`))) as Json[];
		expect(newest.map((passage) => passage.id)).toEqual([created.id]);
	});

	it('searches by the query’s words, narrowed by tags and top_k; a blank query finds nothing', async () => {
		const found = (await ok(callLetta('GET', `${path}/search?query=refunds%20days`))) as {
			results: Json[];
			count: number;
		};
		expect(found.results[0]).toMatchObject({
			id: PASSAGE_IDS.refundPolicy,
			tags: ['policy', 'refunds'],
		});
		expect(found.results[0].timestamp).toMatch(/\+00:00$/);
		const tagged = (await ok(
			callLetta('GET', `${path}/search?query=days&tags=shipping&top_k=5`),
		)) as { results: Json[] };
		expect(tagged.results.map((result) => result.id)).toEqual([PASSAGE_IDS.shippingTimes]);
		expect(await ok(callLetta('GET', `${path}/search?query=%20`))).toEqual({
			results: [],
			count: 0,
		});
	});

	it('deletes a passage; an unknown one is 404 with Letta’s text', async () => {
		expect(await ok(callLetta('DELETE', `${path}/${PASSAGE_IDS.invoiceCopies}`))).toEqual({
			message: `Memory id=${PASSAGE_IDS.invoiceCopies} successfully deleted`,
		});
		const again = await callLetta('DELETE', `${path}/${UNKNOWN_PASSAGE_ID}`);
		expect(again).toMatchObject({
			status: 404,
			json: { detail: passageNotFound(UNKNOWN_PASSAGE_ID) },
		});
	});
});

describe('runs: messages, usage, cancel', () => {
	it('lists a run’s messages and sums its usage', async () => {
		const reply = (await ok(
			callLetta('POST', `/v1/agents/${support}/messages`, { body: { input: 'hello' } }),
		)) as { usage: { run_ids: string[]; total_tokens: number } };
		const [runId] = reply.usage.run_ids;
		const messages = (await ok(callLetta('GET', `/v1/runs/${runId}/messages`))) as Json[];
		expect(messages.map((message) => message.message_type)).toContain('assistant_message');
		expect(messages.every((message) => message.run_id === runId)).toBe(true);
		expect(await ok(callLetta('GET', `/v1/runs/${runId}/usage`))).toMatchObject({
			total_tokens: reply.usage.total_tokens,
		});
	});

	it('cancels a running run; a finished one stays as it was but answers "cancelled"; none active is 409', async () => {
		const stuck = await control.seedRun({ agentId: support, ageMinutes: 30 });
		const cancelPath = `/v1/agents/${support}/messages/cancel`;
		expect(
			await ok(callLetta('POST', cancelPath, { body: { run_ids: [stuck.id, 'run-x'] } })),
		).toEqual({
			[stuck.id]: 'cancelled',
			'run-x': 'failed',
		});
		expect(await ok(callLetta('GET', `/v1/runs/${stuck.id}`))).toMatchObject({
			status: 'cancelled',
			stop_reason: 'cancelled',
		});
		const none = await callLetta('POST', cancelPath, { body: {} });
		expect(none).toMatchObject({ status: 409, json: { detail: noActiveRunsToCancel(support) } });
	});

	it('cancelling the run that asks for approval ends the pending approval', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		await ok(
			callLetta('POST', `/v1/agents/${AGENT_IDS.fileJanitor}/messages/cancel`, {
				body: { run_ids: [seeded.runId] },
			}),
		);
		const agent = (await ok(
			callLetta('GET', `/v1/agents/${AGENT_IDS.fileJanitor}?include=agent.pending_approval`),
		)) as Json;
		expect(agent.pending_approval).toBeNull();
	});
});

describe('agents and conversations: update and delete', () => {
	it('updates an agent’s name, description and tags; unknown is 404', async () => {
		expect(
			await ok(
				callLetta('PATCH', `/v1/agents/${support}`, {
					body: { name: 'Support', description: 'Helps.', tags: ['a'] },
				}),
			),
		).toMatchObject({ name: 'Support', description: 'Helps.', tags: ['a'] });
		const missing = await callLetta('PATCH', `/v1/agents/${UNKNOWN_AGENT_ID}`, {
			body: { name: 'x' },
		});
		expect(missing).toMatchObject({
			status: 404,
			json: { detail: recordNotFound('Agent', UNKNOWN_AGENT_ID) },
		});
	});

	it('deletes an agent; afterwards it is not found', async () => {
		expect(await ok(callLetta('DELETE', `/v1/agents/${AGENT_IDS.translator}`))).toEqual({
			message: `Agent id=${AGENT_IDS.translator} successfully deleted`,
		});
		expect((await callLetta('GET', `/v1/agents/${AGENT_IDS.translator}`)).status).toBe(404);
	});

	it('deletes a conversation (null answer); afterwards it is not found', async () => {
		const id = CONVERSATION_IDS.supportBilling;
		const deleted = await callLetta('DELETE', `/v1/conversations/${id}`);
		expect(deleted).toMatchObject({ status: 200, json: null });
		expect(await callLetta('GET', `/v1/conversations/${id}`)).toMatchObject({
			status: 404,
			json: { detail: conversationNotFound(id) },
		});
	});
});
