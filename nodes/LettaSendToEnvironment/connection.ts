import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { EnvironmentConnection } from '../shared/api/environmentSchemas';
import {
	connectionStatus,
	describeAge,
	getDeviceConnection,
	listConnectionPage,
	ONLINE_WINDOW_SECONDS,
} from '../shared/api/environments';
import type { LettaClient } from '../shared/transport/request';
import { MAX_RETRIES } from '../shared/transport/retry';
import { paginate } from '../shared/transport/paginate';

/** Finding the live connection a workflow names, and refusing to send to an offline one. */

/** How long one execution reuses a connection it looked up before reading it again. */
export const CONNECTION_LOOKUP_TTL_MS = 15_000;

/** How a workflow names its connection: by device (follows sessions) or by one session's id. */
export type ConnectionRef =
	| { by: 'device'; deviceId: string }
	| { by: 'connection'; connectionId: string };

export function connectionRefKey(ref: ConnectionRef): string {
	return ref.by === 'device' ? `device:${ref.deviceId}` : `connection:${ref.connectionId}`;
}

const LOOKUP_PAGE_SIZE = 100;
/** A guard against a server that never stops saying hasNextPage. */
const LOOKUP_MAX_PAGES = 50;

/**
 * The connection a workflow names, read fresh. By device: `GET /v1/environments/{deviceId}`
 * (a 404 is an error). By connection id: the listing is searched; `undefined` when the id is
 * not listed, and then the send itself lets Letta say whether it is unknown (404) or stale (503).
 */
export async function lookUpConnection(
	client: LettaClient,
	ref: ConnectionRef,
	itemIndex: number,
): Promise<EnvironmentConnection | undefined> {
	if (ref.by === 'device') return await getDeviceConnection(client, ref.deviceId, itemIndex);
	const isNamed = (connection: EnvironmentConnection) =>
		connection.connectionId === ref.connectionId;
	const { items } = await paginate(
		async (after) => {
			const page = await listConnectionPage(client, { limit: LOOKUP_PAGE_SIZE, after }, itemIndex);
			return { items: page.connections, hasMore: page.hasNextPage };
		},
		{ maxPages: LOOKUP_MAX_PAGES, stopAfter: (page) => page.some(isNamed) },
	);
	return items.find(isNamed);
}

/**
 * Looks a connection up once per connection and reuses it while fresh: waiting for
 * replies can take minutes, and the heartbeat must be judged from a recent reading.
 */
export class ConnectionLookup {
	private readonly found = new Map<
		string,
		{ connection: EnvironmentConnection | undefined; at: number }
	>();

	constructor(
		private readonly client: LettaClient,
		private readonly now: () => number = () => Date.now(),
	) {}

	async get(
		ref: ConnectionRef,
		itemIndex: number,
	): Promise<{ connection: EnvironmentConnection | undefined; at: number }> {
		const key = connectionRefKey(ref);
		const cached = this.found.get(key);
		if (cached && this.now() - cached.at < CONNECTION_LOOKUP_TTL_MS) return cached;
		const fresh = {
			connection: await lookUpConnection(this.client, ref, itemIndex),
			at: this.now(),
		};
		this.found.set(key, fresh);
		return fresh;
	}
}

/** The connectionId to send to; throws before sending when the connection is offline. */
export function requireOnline(
	node: INode,
	ref: ConnectionRef,
	connection: EnvironmentConnection | undefined,
	itemIndex: number,
	nowMs: number,
): string {
	if (!connection) {
		if (ref.by === 'connection') return ref.connectionId;
		throw new NodeOperationError(
			node,
			`No environment connection for device ${ref.deviceId} [item ${itemIndex}]`,
			{ itemIndex },
		);
	}
	const { online, heartbeatAgeSeconds } = connectionStatus(connection, nowMs);
	if (online && connection.connectionId !== null) return connection.connectionId;
	const why =
		connection.connectionId === null
			? 'it has no live Letta Code session'
			: heartbeatAgeSeconds === null
				? 'it has never sent a heartbeat'
				: `its last heartbeat was ${describeAge(heartbeatAgeSeconds)} (a connection counts as online with a heartbeat in the last ${ONLINE_WINDOW_SECONDS} s)`;
	throw new NodeOperationError(
		node,
		`Environment "${connection.connectionName}" is offline [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Nothing was sent: ${why}. Start Letta Code's listener on device ${connection.deviceId} so it connects again, then run the workflow again.${
				ref.by === 'connection'
					? ' Tip: pick the connection from the list or by device ID; a connection ID changes with every Letta Code session.'
					: ''
			}`,
		},
	);
}

/**
 * Rewords an environment's 503 (Letta Code unreachable, already retried by the transport)
 * so the user learns what it means; other errors keep the transport's wording.
 */
export function explainEnvironmentError(
	node: INode,
	error: unknown,
	connectionId: string,
	itemIndex: number,
): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '503') return error;
	const errorResponse = (error.errorResponse ?? {}) as JsonObject;
	const detail = typeof errorResponse.detail === 'string' ? errorResponse.detail : '';
	return new NodeApiError(node, errorResponse, {
		message: `Environment connection ${connectionId} is unavailable (503)${detail ? `: ${detail}` : ''} [item ${itemIndex}]`,
		description: `Letta could not hand the message to Letta Code on the device; it was retried ${MAX_RETRIES} times with backoff and not delivered. Check that the connection is online (the connection list shows it) and that its connection ID is current: it changes with every Letta Code session, so prefer picking the connection from the list or by device ID.`,
		httpCode: '503',
		itemIndex,
	});
}
