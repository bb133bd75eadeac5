/** Letta Cloud environments: listing, online/offline, fire-and-forget sends, errors. */
import { PENDING_APPROVAL_MESSAGE } from './lettaErrors';
import { SimulatorControl } from './control';
import {
	AGENT_IDS,
	CONVERSATION_IDS,
	ENVIRONMENT_CONNECTION_IDS,
	ENVIRONMENT_DEVICE_IDS,
	ENVIRONMENT_IDS,
	UNKNOWN_CONNECTION_ID,
} from './fixtures';
import { sleep } from './http';
import { callLetta } from './testClient';
import type { ApprovalRequestMessage, LettaMessage } from './types';

const control = SimulatorControl.fromEnv();

interface Connection {
	id: string;
	connectionId: string | null;
	deviceId: string;
	lastHeartbeat: number | null;
}

interface ConnectionPage {
	connections: Connection[];
	hasNextPage: boolean;
}

const sendPath = (connectionId: string) => `/v1/environments/${connectionId}/messages`;

function userMessage(content: string, clientMessageId = `client-${content}`) {
	return { role: 'user', content, client_message_id: clientMessageId };
}

/** The send is fire-and-forget: poll the history until the agent's message shows up. */
async function waitForMessage(
	historyPath: string,
	type: LettaMessage['message_type'],
	timeoutMs = 3000,
): Promise<LettaMessage[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const history = (await callLetta('GET', `${historyPath}?order=asc`)).json as LettaMessage[];
		if (history.some((message) => message.message_type === type)) return history;
		if (Date.now() > deadline)
			throw new Error(`no ${type} in ${historyPath} after ${timeoutMs} ms`);
		await sleep(50);
	}
}

beforeEach(async () => {
	await control.reset();
});

describe('GET /v1/environments', () => {
	it('lists every connection; onlineOnly keeps those with a connectionId and a heartbeat in the last 120 s', async () => {
		const all = (await callLetta('GET', '/v1/environments')).json as ConnectionPage;
		expect(all.connections.map((connection) => connection.id)).toEqual(
			Object.values(ENVIRONMENT_IDS),
		);
		expect(all.hasNextPage).toBe(false);
		const online = (await callLetta('GET', '/v1/environments?onlineOnly=true'))
			.json as ConnectionPage;
		expect(online.connections.map((connection) => connection.id)).toEqual([
			ENVIRONMENT_IDS.aliceLaptop,
			ENVIRONMENT_IDS.buildServer,
		]);
		for (const connection of online.connections) {
			expect(Date.now() - (connection.lastHeartbeat ?? 0)).toBeLessThan(120_000);
		}
	});

	it('pages with limit and after', async () => {
		const first = (await callLetta('GET', '/v1/environments?limit=3')).json as ConnectionPage;
		expect(first.connections).toHaveLength(3);
		expect(first.hasNextPage).toBe(true);
		const second = (
			await callLetta('GET', `/v1/environments?limit=3&after=${first.connections[2].id}`)
		).json as ConnectionPage;
		expect(second.connections.map((connection) => connection.id)).toEqual([
			ENVIRONMENT_IDS.flakyVm,
		]);
		expect(second.hasNextPage).toBe(false);
	});

	it('reads one connection by deviceId, 404 {errorCode, message} otherwise', async () => {
		const found = await callLetta('GET', `/v1/environments/${ENVIRONMENT_DEVICE_IDS.oldDesktop}`);
		expect(found.json).toMatchObject({ id: ENVIRONMENT_IDS.oldDesktop, connectionId: null });
		const missing = await callLetta('GET', '/v1/environments/device-nowhere');
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ errorCode: 'NOT_FOUND', message: expect.any(String) });
	});
});

describe('POST /v1/environments/{connectionId}/messages', () => {
	it('answers {success, message} at once; the reply lands in the agent conversation shortly after', async () => {
		await control.updateSettings({ environmentDelayMs: 200 });
		const result = await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: { messages: [userMessage('from the laptop')], agentId: AGENT_IDS.translator },
		});
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ success: true, message: expect.any(String) });
		const historyPath = `/v1/agents/${AGENT_IDS.translator}/messages`;
		expect((await callLetta('GET', historyPath)).json).toEqual([]);
		const history = await waitForMessage(historyPath, 'assistant_message');
		expect(history.find((message) => message.message_type === 'assistant_message')).toMatchObject({
			content: 'Translator heard: from the laptop',
		});
	});

	it('uses the conversation given as conversationId and the connection agent when agentId is omitted', async () => {
		await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: {
				messages: [userMessage('in billing')],
				conversationId: CONVERSATION_IDS.supportBilling,
			},
		});
		const history = await waitForMessage(
			`/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`,
			'assistant_message',
		);
		expect(history.map((message) => message.message_type)).toContain('user_message');
		await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: { messages: [userMessage('default agent')] },
		});
		await waitForMessage(`/v1/agents/${AGENT_IDS.customerSupport}/messages`, 'assistant_message');
	});

	it('carries approvals: the request lands in the conversation, the answer goes through the same endpoint', async () => {
		const path = sendPath(ENVIRONMENT_CONNECTION_IDS.buildServer);
		await callLetta('POST', path, {
			body: { messages: [userMessage('/var/tmp')], agentId: AGENT_IDS.fileJanitor },
		});
		const historyPath = `/v1/agents/${AGENT_IDS.fileJanitor}/messages`;
		const history = await waitForMessage(historyPath, 'approval_request_message');
		const request = history.find(
			(message): message is ApprovalRequestMessage =>
				message.message_type === 'approval_request_message',
		);
		if (!request) throw new Error('expected an approval request');
		const answered = await callLetta('POST', path, {
			body: {
				messages: [
					{
						type: 'approval',
						approvals: [
							{ type: 'approval', tool_call_id: request.tool_call.tool_call_id, approve: true },
						],
					},
				],
				agentId: AGENT_IDS.fileJanitor,
			},
		});
		expect(answered.status).toBe(200);
		const after = await waitForMessage(historyPath, 'tool_return_message');
		expect(
			after
				.filter((message) => message.message_type === 'assistant_message')
				.map((message) => (message.message_type === 'assistant_message' ? message.content : '')),
		).toContain(`Done: delete_file ran with ${request.tool_call.arguments}`);
	});

	it('503 ENVIRONMENT_OFFLINE for an offline connection (no session, stale heartbeat, or an ended session)', async () => {
		for (const connectionId of [
			ENVIRONMENT_CONNECTION_IDS.oldDesktopStale,
			ENVIRONMENT_CONNECTION_IDS.flakyVm,
		]) {
			const result = await callLetta('POST', sendPath(connectionId), {
				body: { messages: [userMessage('anyone?')] },
			});
			expect(result.status).toBe(503);
			expect(result.json).toEqual({
				errorCode: 'ENVIRONMENT_OFFLINE',
				message: expect.stringContaining('offline'),
			});
		}
		await control.setEnvironmentOffline(ENVIRONMENT_DEVICE_IDS.aliceLaptop);
		expect(
			(
				await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
					body: { messages: [userMessage('hi')] },
				})
			).status,
		).toBe(503);
		const back = await control.setEnvironmentOnline(ENVIRONMENT_DEVICE_IDS.aliceLaptop);
		expect(back.connectionId).not.toBe(ENVIRONMENT_CONNECTION_IDS.aliceLaptop);
		expect(
			(
				await callLetta('POST', sendPath(back.connectionId ?? ''), {
					body: { messages: [userMessage('hi')] },
				})
			).status,
		).toBe(200);
	});

	it('404 CONNECTION_NOT_FOUND for an unknown connection, 400 BAD_REQUEST for an unusable body', async () => {
		const unknown = await callLetta('POST', sendPath(UNKNOWN_CONNECTION_ID), {
			body: { messages: [userMessage('hi')] },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.json).toMatchObject({ errorCode: 'CONNECTION_NOT_FOUND' });
		const empty = await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: { messages: [] },
		});
		expect(empty.status).toBe(400);
		expect(empty.json).toMatchObject({ errorCode: 'BAD_REQUEST' });
		const unknownAgent = await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: {
				messages: [userMessage('hi')],
				agentId: 'agent-99999999-9999-4999-8999-999999999999',
			},
		});
		expect(unknownAgent.status).toBe(404);
		expect(unknownAgent.json).toMatchObject({ errorCode: 'AGENT_NOT_FOUND' });
	});

	it('refuses camelCase field mistakes through the validator (422)', async () => {
		const result = await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.aliceLaptop), {
			body: { messages: [userMessage('hi')], agent_id: AGENT_IDS.translator },
		});
		expect(result.status).toBe(422);
	});

	it("409 CONFLICT in {errorCode, message} with Letta's text while the agent waits for approval", async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		const result = await callLetta('POST', sendPath(ENVIRONMENT_CONNECTION_IDS.buildServer), {
			body: { messages: [userMessage('more')] },
		});
		expect(result.status).toBe(409);
		expect(result.json).toEqual({ errorCode: 'CONFLICT', message: PENDING_APPROVAL_MESSAGE });
	});
});
