import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	checkRunCallback,
	readRunOutcome,
	runOutcomeItem,
} from '../../../nodes/LettaRunTrigger/runCallback';
import { withSeenRun } from '../../../nodes/LettaRunTrigger/seenRuns';
import type { LettaClient, LettaRequest } from '../../../nodes/shared/transport/request';

const node: INode = {
	id: 'n1',
	name: 'Letta Run Trigger',
	type: 'n8n-nodes-letta.lettaRunTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const AGENT = 'agent-11111111-1111-4111-8111-111111111111';
const RUN = 'run-00000000-0000-4000-8000-000000000001';

/** The trigger reads runs; it never opens a stream. */
const notStreamed = async (): Promise<never> => {
	throw new Error('the Letta Run Trigger opens no stream');
};

function fakeLetta(runs: Record<string, object>, messages: object[] = []): LettaClient {
	return {
		node,
		openStream: notStreamed,
		request: async (request: LettaRequest) => {
			const [, runId, tail] = /^\/v1\/runs\/([^/]+)(\/messages|\/usage)?$/.exec(request.path) ?? [];
			const run = runs[decodeURIComponent(runId ?? '')];
			if (!run) {
				throw new NodeApiError(node, { detail: 'not found' }, { httpCode: '404' });
			}
			if (tail === '/usage') return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
			return tail ? messages : run;
		},
	};
}

const ended = { id: RUN, agent_id: AGENT, status: 'completed', stop_reason: 'end_turn' };
const callback = { run_id: RUN, status: 'completed', metadata: {} };

describe('Letta Run Trigger: a callback is checked against Letta', () => {
	it('accepts the callback of an ended run whose status matches', async () => {
		const check = await checkRunCallback(fakeLetta({ [RUN]: ended }), callback, []);
		expect(check).toMatchObject({ run: { id: RUN } });
	});

	it.each([
		['a body that is no callback', { hello: 1 }, [], 400],
		['an unknown run', { ...callback, run_id: 'run-made-up' }, [], 404],
		['a run of an agent outside the filter', callback, ['agent-other'], 403],
		['a status that differs from Letta', { ...callback, status: 'failed' }, [], 409],
	])('refuses %s', async (_what, body, agents, status) => {
		const check = await checkRunCallback(fakeLetta({ [RUN]: ended }), body, agents as string[]);
		expect(check).toMatchObject({ refused: { status } });
	});

	it('refuses a run that has not ended', async () => {
		const check = await checkRunCallback(
			fakeLetta({ [RUN]: { ...ended, status: 'created' } }),
			{ ...callback, status: 'created' },
			[],
		);
		expect(check).toMatchObject({ refused: { status: 409 } });
	});

	it('shapes the outcome read from Letta like Send Agent Message, answer_to when it asks for approval', async () => {
		const asking = { ...ended, stop_reason: 'requires_approval' };
		const messages = [
			{
				id: 'message-1',
				message_type: 'approval_request_message',
				date: '2026-01-01T00:00:00Z',
				run_id: RUN,
				tool_call: { name: 'delete_file', arguments: '{"path":"/tmp/x"}', tool_call_id: 'call_1' },
			},
		];
		const item = await runOutcomeItem(fakeLetta({ [RUN]: asking }, messages), asking);
		expect(item.json).toMatchObject({
			run_id: RUN,
			run_status: 'completed',
			stop_reason: 'requires_approval',
			agent_id: AGENT,
			pending_approvals: [{ tool_name: 'delete_file', tool_call_id: 'call_1' }],
			answer_to: { agent_id: AGENT, tool_call_ids: ['call_1'] },
		});
	});
});

describe('Letta Run Trigger: Letta unreadable', () => {
	it('refuses (502, nothing starts) when the run cannot be read after the check', async () => {
		const failing: LettaClient = {
			node,
			openStream: notStreamed,
			request: async () => {
				throw new NodeApiError(node, { detail: 'down' }, { httpCode: '503' });
			},
		};
		expect(await readRunOutcome(failing, ended as never)).toMatchObject({
			refused: { status: 502 },
		});
	});
});

describe('Letta Run Trigger: seen runs', () => {
	it('keeps the newest run ids, bounded', () => {
		expect(withSeenRun(['a', 'b'], 'c', 2)).toEqual(['b', 'c']);
		expect(withSeenRun(['a', 'b'], 'a', 3)).toEqual(['b', 'a']);
	});
});
