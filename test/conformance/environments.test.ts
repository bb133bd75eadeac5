/**
 * Environments (Letta Cloud only, so not in the server source; the spec and the SDK's types judge):
 * list, retrieve by device, send, and the {errorCode, message} refusals.
 */
import { InternalServerError, NotFoundError } from '@letta-ai/letta-client';
import type {
	EnvironmentListResponse,
	EnvironmentRetrieveResponse,
} from '@letta-ai/letta-client/resources/environments';
import {
	AGENT_IDS,
	ENVIRONMENT_CONNECTION_IDS,
	ENVIRONMENT_DEVICE_IDS,
	UNKNOWN_CONNECTION_ID,
} from '../simulator/fixtures';
import {
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	pause,
	requiredKeys,
	sdkClient,
} from './sdk';

freshTenant();
const client = sdkClient();

const CONNECTION_KEYS = requiredKeys<EnvironmentListResponse.Connection>()([
	'id',
	'connectedAt',
	'connectionId',
	'connectionName',
	'deviceId',
	'firstSeenAt',
	'lastHeartbeat',
	'lastSeenAt',
	'organizationId',
	'podId',
]);
const RETRIEVED_KEYS = requiredKeys<EnvironmentRetrieveResponse>()(CONNECTION_KEYS);

describe('environments (GET /v1/environments, GET /v1/environments/{deviceId})', () => {
	it('list: {connections, hasNextPage}, every connection with the fields the SDK requires; onlineOnly narrows', async () => {
		const all = await client.environments.list({ limit: '50' });
		expect(all.hasNextPage).toBe(false);
		for (const connection of all.connections) expectRequiredFields(connection, CONNECTION_KEYS);
		expect(all.connections.length).toBe(4);
		const online = await client.environments.list({ limit: '50', onlineOnly: 'true' });
		expect(online.connections.map((connection) => connection.connectionId).sort()).toEqual(
			[ENVIRONMENT_CONNECTION_IDS.aliceLaptop, ENVIRONMENT_CONNECTION_IDS.buildServer].sort(),
		);
	});

	it('list pages with after', async () => {
		const first = await client.environments.list({ limit: '2' });
		expect(first.connections).toHaveLength(2);
		expect(first.hasNextPage).toBe(true);
		const rest = await client.environments.list({ limit: '50', after: first.connections[1].id });
		expect(rest.connections).toHaveLength(2);
		expect(rest.hasNextPage).toBe(false);
	});

	it('retrieve by deviceId', async () => {
		const connection = await client.environments.retrieve(ENVIRONMENT_DEVICE_IDS.oldDesktop);
		expectRequiredFields(connection, RETRIEVED_KEYS);
		expect(connection.deviceId).toBe(ENVIRONMENT_DEVICE_IDS.oldDesktop);
		expect(connection.connectionId).toBeNull();
	});
});

describe('environments.sendMessage (POST /v1/environments/{connectionId}/messages)', () => {
	it('fire and forget: {success, message}; the reply lands in the agent’s default conversation', async () => {
		const sent = await client.environments.sendMessage(ENVIRONMENT_CONNECTION_IDS.aliceLaptop, {
			messages: [{ role: 'user', content: 'build it', client_message_id: 'cm-conformance-1' }],
			agentId: AGENT_IDS.customerSupport,
		});
		expect(sent.success).toBe(true);
		expect(typeof sent.message).toBe('string');
		let replies: string[] = [];
		for (let attempt = 0; attempt < 20 && replies.length === 0; attempt++) {
			await pause(100);
			const history = await client.agents.messages.list(AGENT_IDS.customerSupport, { limit: 10 });
			replies = history.items.flatMap((message) =>
				message.message_type === 'assistant_message' && typeof message.content === 'string'
					? [message.content]
					: [],
			);
		}
		expect(replies).toEqual(['Customer Support heard: build it']);
	});

	it('an unknown connection is NotFoundError 404 {errorCode, message}', async () => {
		const error = await expectSdkError(
			client.environments.sendMessage(UNKNOWN_CONNECTION_ID, {
				messages: [{ role: 'user', content: 'hi', client_message_id: 'cm-2' }],
			}),
			NotFoundError,
			404,
		);
		expect(error.error).toEqual({ errorCode: expect.any(String), message: expect.any(String) });
	});

	it('an offline connection is 503 (InternalServerError in the SDK, which retries it by default) {errorCode, message}', async () => {
		const error = await expectSdkError(
			client.environments.sendMessage(ENVIRONMENT_CONNECTION_IDS.oldDesktopStale, {
				messages: [{ role: 'user', content: 'hi', client_message_id: 'cm-3' }],
			}),
			InternalServerError,
			503,
		);
		expect(error.error).toEqual({ errorCode: 'ENVIRONMENT_OFFLINE', message: expect.any(String) });
	});
});
