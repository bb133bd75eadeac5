/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Letta's real error bodies (test/simulator/README.md, "Error bodies") as users meet them
 * through Send Agent Message: wording, retries, and never overlapping two runs on an agent.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { MAX_RETRIES } from '../../nodes/shared/transport/retry';
import { errorOf, outputOf, testCredential } from '../harness/runWorkflow';
import { AGENT_IDS, SIMULATOR_API_KEY } from '../simulator/fixtures';
import { PyTuple, pyRepr } from '../simulator/pyRepr';
import {
	byId,
	lettaApiUrl,
	messagePosts as postsTo,
	plainRequest,
	runLettaNode,
	simulator,
} from './support';

const sim = simulator();

type Described = Error & { description?: string };

/** These cases pin Plain Request's wording (the other wait modes: waitModes.test.ts). */
const send = async (
	parameters: Parameters<typeof runLettaNode>[1],
	options: Parameters<typeof runLettaNode>[2] = {},
) => await runLettaNode(LettaSendAgentMessage, plainRequest(parameters), options);

/** The error of one message to Customer Support sent with the credential's base URL replaced. */
const errorWithBaseUrl = async (baseUrl: string) =>
	errorOf(
		await send(
			{ agentId: byId(AGENT_IDS.customerSupport), text: 'x' },
			{ credentials: { baseUrl } },
		),
	) as Described | undefined;

const messagePosts = async () => await postsTo(sim);

const busyBody = (runId: string) => ({
	detail: `CONFLICT: Cannot send a new message: Another request (run_id=${runId}) is currently being processed for this conversation. Please wait for it to complete.`,
	run_id: runId,
});

const PENDING_TEXT =
	'CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. Please approve or deny the pending request before continuing.';

beforeEach(async () => {
	await sim.reset();
});

describe('409: busy and pending approval, told apart by their words', () => {
	it('retries a busy 409 with backoff, then succeeds', async () => {
		await sim.addFault({
			status: 409,
			count: 2,
			pathContains: '/messages',
			body: busyBody('run-x'),
		});
		const result = await send({ agentId: byId(AGENT_IDS.customerSupport), text: 'hello' });
		expect(errorOf(result)).toBeUndefined();
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toMatch(/heard: hello/);
		expect((await messagePosts()).map((post) => post.status)).toEqual([409, 409, 200]);
	});

	it('waits out a busy conversation past the usual retries, while the Timeout lasts', async () => {
		// Five refusals: more than MAX_RETRIES, so only the busy wait gets this message through.
		await sim.addFault({
			status: 409,
			count: MAX_RETRIES + 2,
			pathContains: '/messages',
			retryAfterSeconds: 0.1,
			body: busyBody('run-long'),
		});
		const result = await send({ agentId: byId(AGENT_IDS.customerSupport), text: 'patient' });
		expect(errorOf(result)).toBeUndefined();
		expect(outputOf(result, 'Letta', 0)[0].json.reply).toMatch(/heard: patient/);
		expect((await messagePosts()).map((post) => post.status)).toEqual([
			...Array<number>(MAX_RETRIES + 2).fill(409),
			200,
		]);
	});

	it('when the Timeout runs out first, names the run that holds the conversation', async () => {
		await sim.addFault({
			status: 409,
			count: 100,
			pathContains: '/messages',
			body: busyBody('run-holder'),
		});
		const error = errorOf(
			await send({
				agentId: byId(AGENT_IDS.customerSupport),
				text: 'x',
				options: { timeoutSeconds: 2 },
			}),
		) as Described | undefined;
		expect(error?.message).toBe(
			`Letta is busy: another request (run run-holder) holds agent ${AGENT_IDS.customerSupport} (409) [item 0]`,
		);
		expect(error?.description).toMatch(
			/It was sent \d+ times over \d+ s, waiting for that request to end, until the Timeout ran out/,
		);
		const posts = await messagePosts();
		expect(posts.length).toBeGreaterThanOrEqual(2);
		expect(posts.every((post) => post.status === 409)).toBe(true);
	});

	it('a pending approval (object detail) is one readable line with the request id, never retried', async () => {
		const seeded = await sim.seedPendingApproval({
			agentId: AGENT_IDS.fileJanitor,
			text: '/tmp/a',
		});
		const error = errorOf(await send({ agentId: byId(AGENT_IDS.fileJanitor), text: 'more?' })) as
			| Described
			| undefined;
		expect(error?.message).toBe(
			`Agent ${AGENT_IDS.fileJanitor} is waiting for a tool approval (approval request ${seeded.approvalRequest.id}), so Letta refused the message (409) [item 0]`,
		);
		expect(error?.description).toMatch(/Answer Approval.*Needs Approval.*Letta Trigger/);
		expect(JSON.stringify(error)).not.toMatch(/PENDING_APPROVAL/);
		expect(await messagePosts()).toHaveLength(1);
	});

	it('a pending approval with a string detail reads the same, and a CONVERSATION_BUSY word alone is not busy', async () => {
		await sim.addFault({ status: 409, pathContains: '/messages', body: { detail: PENDING_TEXT } });
		const pending = errorOf(await send({ agentId: byId(AGENT_IDS.translator), text: 'x' }));
		expect(pending?.message).toMatch(/is waiting for a tool approval, so Letta refused/);
		await sim.reset();
		await sim.addFault({
			status: 409,
			pathContains: '/messages',
			body: { detail: 'CONVERSATION_BUSY' },
		});
		const other = errorOf(await send({ agentId: byId(AGENT_IDS.translator), text: 'x' }));
		expect(other?.message).toBe('Letta refused the request: CONVERSATION_BUSY (409) [item 0]');
		expect(await messagePosts()).toHaveLength(1);
	});
});

describe('400 and 422 in Letta shapes', () => {
	it('explains an approval answer with the wrong tool call ids', async () => {
		await sim.addFault({
			status: 400,
			pathContains: '/messages',
			body: {
				detail:
					"Invalid tool call IDs. Expected '['call_a', 'call_b']', but received '['call_a']'.",
			},
		});
		const error = errorOf(await send({ agentId: byId(AGENT_IDS.translator), text: 'x' })) as
			| Described
			| undefined;
		expect(error?.message).toBe(
			'Letta refused the approval answer: it must answer tool call(s) call_a, call_b, but answered call_a (400) [item 0]',
		);
		expect(error?.description).toMatch(/answer_to block/);
	});

	it('turns the Python repr of a 422 into field: problem', async () => {
		const detail = pyRepr([
			{
				type: 'missing',
				loc: new PyTuple(['body', 'messages', 0, 'content']),
				msg: 'Field required',
				input: { role: 'user' },
			},
			{
				type: 'extra_forbidden',
				loc: new PyTuple(['body', 'messages', 0, 'contnet']),
				msg: 'Extra inputs are not permitted',
				input: 'hi',
			},
		]);
		await sim.addFault({ status: 422, pathContains: '/messages', body: { trace_id: '', detail } });
		const error = errorOf(await send({ agentId: byId(AGENT_IDS.translator), text: 'x' })) as
			| Described
			| undefined;
		expect(error?.message).toBe(
			'Letta refused the request body (422): messages.0.content: Field required; messages.0.contnet: Extra inputs are not permitted [item 0]',
		);
		expect(error?.description).toMatch(
			/^messages\.0\.content: Field required\nmessages\.0\.contnet/,
		);
	});
});

describe('timeouts and dropped answers never overlap two runs', () => {
	/** Texts to one agent (one lane) with a 1 s Timeout while Letta takes `latencyMs`, continuing on fail. */
	const sendOneLaneWithLatency = async (latencyMs: number, texts: string[]) => {
		await sim.setLatency(latencyMs);
		const result = await send(
			{
				agentId: byId(AGENT_IDS.customerSupport),
				text: '={{ $json.text }}',
				options: { timeoutSeconds: 1 },
			},
			{ onError: 'continueRegularOutput', items: texts.map((text) => ({ json: { text } })) },
		);
		return outputOf(result, 'Letta', 0).map((item) => item.json);
	};

	it('names the item and Letta not answering in time, with the run, and waits for that run before the next item', async () => {
		const items = await sendOneLaneWithLatency(1500, ['one', 'two']);
		const runs = (await sim.state()).runs;
		expect(items[0].error).toBe('Letta did not answer within 1 s [item 0]');
		expect(items[0].description).toMatch(
			new RegExp(`may still be working on it \\(run ${runs[0].id}\\).*not resent`),
		);
		expect(items[1].error).toBe('Letta did not answer within 1 s [item 1]');
		await sim.setLatency(0);
		expect(await sim.overlaps()).toEqual([]);
		expect(await messagePosts()).toHaveLength(2);
		const polls = await sim.requests({ method: 'GET', pathContains: '/v1/runs/' });
		expect(polls[0].query).toMatchObject({
			agent_id: [AGENT_IDS.customerSupport],
			active: ['true'],
		});
	});

	it('fails the rest of the lane, naming the run, when the run does not end in time', async () => {
		const items = await sendOneLaneWithLatency(4000, ['a', 'b', 'c']);
		const [run] = (await sim.state()).runs;
		expect(items[0].error).toBe('Letta did not answer within 1 s [item 0]');
		for (const index of [1, 2]) {
			expect(items[index].error).toBe(
				`Not sent: run ${run.id} on agent ${AGENT_IDS.customerSupport} was still running 1 s after item 0 timed out or was cut off [item ${index}]`,
			);
		}
		expect(await messagePosts()).toHaveLength(1);
		expect(await sim.overlaps()).toEqual([]);
	});

	describe('against a server that drops the connection', () => {
		let server: Server;
		let baseUrl: string;
		beforeAll(async () => {
			// Reads the request, then closes the socket without answering.
			server = createServer((socket) => socket.once('data', () => socket.destroy()));
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

		it('says the answer was cut off and the run may have completed, not "check the base URL"', async () => {
			const error = await errorWithBaseUrl(baseUrl);
			expect(error?.message).toBe(
				"Letta's answer was cut off: the connection dropped after the message was sent [item 0]",
			);
			expect(error?.description).toMatch(/The run may have completed.*not resent/);
			expect(error?.description).not.toMatch(/base URL/);
		});
	});

	it('connection refused before sending stays "could not reach Letta"', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = await errorWithBaseUrl(`http://127.0.0.1:${port}`);
		expect(error?.message).toBe(`Could not reach Letta at http://127.0.0.1:${port} [item 0]`);
		expect(error?.description).toMatch(/base URL/);
	});
});

describe('a wrong base URL', () => {
	it("a base URL with a path: the 404 is not Letta's, so the base URL looks wrong (no key)", async () => {
		const baseUrl = `${lettaApiUrl()}/letta`;
		const error = await errorWithBaseUrl(baseUrl);
		expect(error?.message).toBe(
			`The base URL looks wrong: ${baseUrl} has no Letta API (404) [item 0]`,
		);
		expect(JSON.stringify(error)).not.toContain(SIMULATOR_API_KEY);
	});

	it('an unknown agent is still "could not find agent"', async () => {
		const error = errorOf(
			await send({ agentId: byId('agent-00000000-0000-4000-8000-000000000000'), text: 'x' }),
		);
		expect(error?.message).toMatch(/^Letta could not find agent/);
	});

	it('the credential test says so too', async () => {
		const result = await testCredential(LettaCommunityApi, {
			apiKey: SIMULATOR_API_KEY,
			baseUrl: `${lettaApiUrl()}/letta`,
			projectId: '',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The base URL looks wrong/);
	});
});

describe('invalid option values are errors naming the option, before anything is sent', () => {
	const timeout = (value: unknown) =>
		`"Timeout (Seconds)" must be a number of seconds from 1 to 86400, not ${value} [item 0]`;
	const concurrency = (value: unknown) =>
		`"Concurrency" must be a whole number from 1 to 50, not ${value}`;
	it.each([
		[{ options: { timeoutSeconds: -5 } }, timeout(-5)],
		[{ options: { timeoutSeconds: 0 } }, timeout(0)],
		[{ options: { timeoutSeconds: '={{ "abc" }}' } }, timeout('"abc"')],
		[{ options: { concurrency: 0 } }, concurrency(0)],
		[{ options: { concurrency: -1 } }, concurrency(-1)],
		[{ options: { concurrency: '={{ "abc" }}' } }, concurrency('"abc"')],
		[{ options: { concurrency: 51 } }, concurrency(51)],
		[
			{ role: '={{ "boss" }}' },
			'"Role" must be one of user, system, assistant, not "boss" [item 0]',
		],
		[
			{ messageInput: 'json', messagesJson: '{"messages":[{"role":"user","contnet":"hi"}]}' },
			'"Messages (JSON)" does not match the Letta API: messages.0.contnet: unknown key; expected "content" [item 0]',
		],
	])('%j', async (parameters, message) => {
		const result = await send({
			agentId: byId(AGENT_IDS.customerSupport),
			text: 'x',
			...parameters,
		});
		expect(errorOf(result)?.message).toBe(message);
		expect(await messagePosts()).toHaveLength(0);
	});
});
