/** Agents through the official SDK: listing with the filters the nodes use, one agent, health, 401/404. */
import { AuthenticationError, NotFoundError } from '@letta-ai/letta-client';
import type { AgentState } from '@letta-ai/letta-client/resources/agents/agents';
import type { HealthResponse } from '@letta-ai/letta-client/resources/top-level';
import { AGENT_IDS, SEED_AGENTS, UNKNOWN_AGENT_ID } from '../simulator/fixtures';
import {
	AGENT_ID_SHAPE,
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	requiredKeys,
	sdkClient,
} from './sdk';

const control = freshTenant();
const client = sdkClient();

const AGENT_STATE_KEYS = requiredKeys<AgentState>()([
	'id',
	'agent_type',
	'blocks',
	'llm_config',
	'memory',
	'name',
	'sources',
	'system',
	'tags',
	'tools',
]);

describe('AgentState as the SDK types it', () => {
	it('list and retrieve carry every field AgentState requires', async () => {
		const page = await client.agents.list({ limit: 50 });
		const retrieved = await client.agents.retrieve(AGENT_IDS.customerSupport);
		for (const agent of [...page.items, retrieved]) {
			expect(agent.id).toMatch(AGENT_ID_SHAPE);
			expectRequiredFields(agent, AGENT_STATE_KEYS);
		}
	});
});

describe('agents.list (GET /v1/agents/)', () => {
	it('limit=1: one agent (the credential test)', async () => {
		const page = await client.agents.list({ limit: 1 });
		expect(page.items).toHaveLength(1);
		expect(page.items[0].id).toMatch(AGENT_ID_SHAPE);
	});

	it('pages with `after` (the last id) through every seeded agent, no repeats', async () => {
		const seen: string[] = [];
		for await (const agent of client.agents.list({ limit: 3 })) {
			expect(agent.id).toMatch(AGENT_ID_SHAPE);
			seen.push(agent.id);
		}
		expect(new Set(seen).size).toBe(seen.length);
		expect([...seen].sort()).toEqual(SEED_AGENTS.map((agent) => agent.id).sort());
		const afters = (await control.requests({ method: 'GET', pathContains: '/v1/agents/' }))
			.map((request) => request.query.after)
			.filter((after) => after !== undefined);
		expect(afters.length).toBeGreaterThan(0);
	});

	it('query_text searches names', async () => {
		const page = await client.agents.list({ query_text: 'Janitor', limit: 10 });
		expect(page.items.map((agent) => agent.name)).toEqual(['File Janitor']);
	});

	it('tags narrows to agents carrying the tag (repeated keys for several)', async () => {
		const page = await client.agents.list({ tags: ['ops'], limit: 50 });
		const names = page.items.map((agent) => agent.name).sort();
		expect(names).toEqual(['Change Runner', 'File Janitor', 'Release Manager']);
		for (const agent of page.items) expect(agent.tags).toContain('ops');
	});

	it('last_stop_reason=requires_approval with include=agent.pending_approval fills pending_approval', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const page = await client.agents.list({
			last_stop_reason: 'requires_approval',
			include: ['agent.pending_approval', 'agent.tags'],
			limit: 50,
		});
		expect(page.items.map((agent) => agent.id)).toEqual([AGENT_IDS.fileJanitor]);
		const [agent] = page.items;
		expect(agent.tags).toEqual(['approval', 'ops']);
		expect(agent.pending_approval?.message_type).toBe('approval_request_message');
		expect(agent.pending_approval?.id).toBe(seeded.approvalRequest.id);
		expect(agent.pending_approval?.tool_call.name).toBe('delete_file');
	});
});

describe('agents.retrieve (GET /v1/agents/{agent_id})', () => {
	it('reads one agent with include=agent.pending_approval (null when nothing is pending)', async () => {
		const agent = await client.agents.retrieve(AGENT_IDS.customerSupport, {
			include: ['agent.pending_approval', 'agent.tags'],
		});
		expect(agent.id).toBe(AGENT_IDS.customerSupport);
		expect(agent.name).toBe('Customer Support');
		expect(agent.tags).toEqual(['support', 'prod']);
		expect(agent.pending_approval ?? null).toBeNull();
	});

	it('an unknown agent is NotFoundError 404 {"detail":"Agent with ID … not found"} (source: agent_manager.get_agent_by_id_async raises NoResultFound; app.py renders str(exc))', async () => {
		const error = await expectSdkError(
			client.agents.retrieve(UNKNOWN_AGENT_ID),
			NotFoundError,
			404,
		);
		expect(error.error).toEqual({ detail: `Agent with ID ${UNKNOWN_AGENT_ID} not found` });
	});

	it('a wrong API key is AuthenticationError 401 {"detail":"Unauthorized"}', async () => {
		const stranger = sdkClient({ apiKey: 'sk-let-not-this-tenant' });
		const error = await expectSdkError(
			stranger.agents.list({ limit: 1 }),
			AuthenticationError,
			401,
		);
		expect(error.error).toEqual({ detail: 'Unauthorized' });
	});
});

describe('health (GET /v1/health/)', () => {
	const HEALTH_KEYS = requiredKeys<HealthResponse>()(['status', 'version']);

	it('answers {status, version} (source: routers/v1/health.py; the simulator lacks the route until its update)', async () => {
		const health = await client.health();
		expectRequiredFields(health, HEALTH_KEYS);
		expect(health.status).toBe('ok');
		expect(typeof health.version).toBe('string');
	});
});
