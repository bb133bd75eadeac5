/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/** Agents: auth, listing with Letta's filters and cursor pagination, reading one agent. */
import { agentNotFound } from './lettaErrors';
import { SimulatorControl } from './control';
import {
	AGENT_IDS,
	DEFAULT_TENANT,
	SEED_AGENTS,
	SIMULATOR_PROJECT_ID,
	UNKNOWN_AGENT_ID,
} from './fixtures';
import { callLetta, simulatorUrl } from './testClient';

interface AgentSummary {
	id: string;
	name: string;
	tags: string[];
	pending_approval: { tool_calls: Array<{ tool_call_id: string }> } | null;
	last_stop_reason: string | null;
}

const control = SimulatorControl.fromEnv();

async function listAgents(query: string): Promise<AgentSummary[]> {
	const result = await callLetta('GET', `/v1/agents/${query}`);
	expect(result.status).toBe(200);
	return result.json as AgentSummary[];
}

beforeEach(async () => {
	await control.reset();
});

describe('auth', () => {
	it('answers 401 {"detail":"Unauthorized"} to a wrong key and records the refusal', async () => {
		const marker = `refusal-${process.pid}-${Date.now()}`;
		const result = await callLetta('GET', `/v1/agents/?query_text=${marker}`, {
			apiKey: 'sk-let-wrong-key',
		});
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ detail: 'Unauthorized' });
		// A wrong key names no tenant, so the refusal is logged in the default tenant.
		const refusals = await new SimulatorControl(simulatorUrl(), DEFAULT_TENANT).requests({
			pathContains: '/v1/agents/',
		});
		const refusal = refusals.find((entry) => entry.query.query_text?.[0] === marker);
		expect(refusal).toMatchObject({
			authorized: false,
			status: 401,
			headers: { authorization: 'Bearer <redacted>' },
		});
	});

	it('answers 401 when no key is sent at all (the simulator, not Prism, decides)', async () => {
		const result = await callLetta('GET', '/v1/agents/', { apiKey: null });
		expect(result.status).toBe(401);
		expect(result.json).toEqual({ detail: 'Unauthorized' });
	});

	it('records the project header and that the key matched, never the key itself', async () => {
		await callLetta('GET', '/v1/agents/?limit=1', {
			headers: { 'X-Project-Id': SIMULATOR_PROJECT_ID },
		});
		const [recorded] = await control.requests({ pathContains: '/v1/agents/' });
		expect(recorded).toMatchObject({
			method: 'GET',
			path: '/v1/agents/',
			authorized: true,
			projectId: SIMULATOR_PROJECT_ID,
			status: 200,
		});
		expect(recorded.query).toEqual({ limit: ['1'] });
		expect(recorded.headers.authorization).toBe('Bearer <redacted>');
		expect(JSON.stringify(recorded)).not.toContain(control.apiKey);
	});
});

describe('GET /v1/agents/', () => {
	it('returns every seeded agent, newest first, as a bare array', async () => {
		const agents = await listAgents('');
		expect(agents.map((agent) => agent.id)).toEqual(
			[...SEED_AGENTS].reverse().map((agent) => agent.id),
		);
	});

	it('pages with limit and the last id as the after cursor, without gaps or repeats', async () => {
		const seen: string[] = [];
		let after = '';
		for (let page = 0; page < 10; page++) {
			const agents = await listAgents(`?limit=3${after ? `&after=${after}` : ''}`);
			if (agents.length === 0) break;
			expect(agents.length).toBeLessThanOrEqual(3);
			seen.push(...agents.map((agent) => agent.id));
			after = agents[agents.length - 1].id;
		}
		expect(seen).toEqual([...SEED_AGENTS].reverse().map((agent) => agent.id));
	});

	it('searches names case-insensitively with query_text', async () => {
		const agents = await listAgents('?query_text=SALES');
		expect(agents.map((agent) => agent.name)).toEqual(['Sales Assistant']);
	});

	it('filters by tags given as repeated keys (any tag matches)', async () => {
		const agents = await listAgents('?tags=sales&tags=research');
		expect(agents.map((agent) => agent.name).sort()).toEqual(['Research Scout', 'Sales Assistant']);
	});

	it('fills pending_approval only with include=agent.pending_approval, and filters by last_stop_reason', async () => {
		const seeded = await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const plain = await listAgents('?last_stop_reason=requires_approval');
		expect(plain.map((agent) => agent.id)).toEqual([AGENT_IDS.fileJanitor]);
		expect(plain[0].pending_approval).toBeNull();

		const included = await listAgents(
			'?last_stop_reason=requires_approval&include=agent.pending_approval',
		);
		expect(included[0].pending_approval?.tool_calls.map((call) => call.tool_call_id)).toEqual(
			seeded.approvalRequest.tool_calls.map((call) => call.tool_call_id),
		);
	});
});

describe('GET /v1/agents/{agent_id}', () => {
	it('returns one spec-valid agent', async () => {
		const result = await callLetta('GET', `/v1/agents/${AGENT_IDS.translator}`);
		expect(result.status).toBe(200);
		expect(result.headers['sl-violations']).toBeUndefined();
		expect(result.json).toMatchObject({
			id: AGENT_IDS.translator,
			name: 'Translator',
			tags: ['content', 'internal'],
		});
	});

	it("answers 404 with Letta's NoResultFound text for an unknown agent", async () => {
		const result = await callLetta('GET', `/v1/agents/${UNKNOWN_AGENT_ID}`);
		expect(result.status).toBe(404);
		expect(result.json).toEqual({ detail: `Agent with ID ${UNKNOWN_AGENT_ID} not found` });
		expect(result.json).toEqual({ detail: agentNotFound(UNKNOWN_AGENT_ID) });
	});

	it('shows a pending approval of the default conversation only with the include', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.releaseManager });
		const without = await callLetta('GET', `/v1/agents/${AGENT_IDS.releaseManager}`);
		expect((without.json as AgentSummary).pending_approval).toBeNull();
		const withInclude = await callLetta(
			'GET',
			`/v1/agents/${AGENT_IDS.releaseManager}?include=agent.pending_approval`,
		);
		expect((withInclude.json as AgentSummary).pending_approval?.tool_calls).toHaveLength(2);
	});
});
