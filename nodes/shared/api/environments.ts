import { createHash, randomUUID } from 'crypto';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	environmentConnectionListSchema,
	environmentConnectionSchema,
	type EnvironmentConnection,
} from './environmentSchemas';
import { describeZodError } from './messageSchemas';
import { MAX_RETRIES, type LettaClient } from '../transport/request';

/**
 * Letta Cloud environments: live sessions of a Letta Code listener on a device.
 * A connectionId changes with every session; a deviceId stays, so a workflow that
 * names the device keeps working after Letta Code restarts.
 */

/** A connection counts as online with a connectionId and a heartbeat in the last 120 s. */
export const ONLINE_WINDOW_SECONDS = 120;

export const ENVIRONMENTS_PATH = '/v1/environments';

/** How long one execution reuses a connection it looked up before reading it again. */
export const CONNECTION_LOOKUP_TTL_MS = 15_000;

/** How a workflow names its connection: by device (follows sessions) or by one session's id. */
export type ConnectionRef =
	| { by: 'device'; deviceId: string }
	| { by: 'connection'; connectionId: string };

export function connectionRefKey(ref: ConnectionRef): string {
	return ref.by === 'device' ? `device:${ref.deviceId}` : `connection:${ref.connectionId}`;
}

/** Heartbeats are epoch milliseconds; a value that can only be seconds is read as seconds. */
export function heartbeatMs(lastHeartbeat: number): number {
	return lastHeartbeat < 1e12 ? lastHeartbeat * 1000 : lastHeartbeat;
}

export interface ConnectionStatus {
	online: boolean;
	/** Seconds since the last heartbeat, when there was one. */
	heartbeatAgeSeconds: number | null;
}

export function connectionStatus(
	connection: EnvironmentConnection,
	nowMs: number,
): ConnectionStatus {
	const age =
		connection.lastHeartbeat === null
			? null
			: Math.max(0, Math.round((nowMs - heartbeatMs(connection.lastHeartbeat)) / 1000));
	return {
		online: connection.connectionId !== null && age !== null && age <= ONLINE_WINDOW_SECONDS,
		heartbeatAgeSeconds: age,
	};
}

function describeAge(seconds: number): string {
	if (seconds < 120) return `${seconds} s ago`;
	if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
	if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
	return `${Math.round(seconds / 86400)} days ago`;
}

/** `alice-laptop (device-alice-laptop) · online`: how the dropdown and errors name a connection. */
export function describeConnection(connection: EnvironmentConnection, nowMs: number): string {
	const { online, heartbeatAgeSeconds } = connectionStatus(connection, nowMs);
	const state = online
		? 'online'
		: heartbeatAgeSeconds === null
			? 'offline'
			: `offline, last seen ${describeAge(heartbeatAgeSeconds)}`;
	return `${connection.connectionName} (${connection.deviceId}) · ${state}`;
}

function unexpectedShape(
	node: INode,
	what: string,
	problem: string,
	itemIndex?: number,
): NodeApiError {
	return new NodeApiError(
		node,
		{ response: 'unexpected shape' },
		{
			message: `Letta answered ${what} with an unexpected response${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
			description: `${problem}. Environments are a Letta Cloud feature: is the credential's base URL https://api.letta.com?`,
			itemIndex,
		},
	);
}

export interface ConnectionPage {
	connections: EnvironmentConnection[];
	hasNextPage: boolean;
}

export async function listConnectionPage(
	client: LettaClient,
	node: INode,
	query: { limit: number; after?: string; onlineOnly?: boolean },
	itemIndex?: number,
): Promise<ConnectionPage> {
	const qs: IDataObject = { limit: String(query.limit) };
	if (query.after) qs.after = query.after;
	if (query.onlineOnly) qs.onlineOnly = 'true';
	const raw = await client.request<unknown>(
		{ method: 'GET', path: ENVIRONMENTS_PATH, qs },
		{ itemIndex },
	);
	const parsed = environmentConnectionListSchema.safeParse(raw);
	if (!parsed.success)
		throw unexpectedShape(
			node,
			'the list of environment connections',
			describeZodError(parsed.error),
			itemIndex,
		);
	return parsed.data;
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
	node: INode,
	ref: ConnectionRef,
	itemIndex: number,
): Promise<EnvironmentConnection | undefined> {
	if (ref.by === 'device') {
		const raw = await client.request<unknown>(
			{ method: 'GET', path: `${ENVIRONMENTS_PATH}/${encodeURIComponent(ref.deviceId)}` },
			{ itemIndex, resource: `an environment on device ${ref.deviceId}` },
		);
		const parsed = environmentConnectionSchema.safeParse(raw);
		if (!parsed.success)
			throw unexpectedShape(
				node,
				'the environment connection',
				describeZodError(parsed.error),
				itemIndex,
			);
		return parsed.data;
	}
	let after: string | undefined;
	for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
		const { connections, hasNextPage } = await listConnectionPage(
			client,
			node,
			{ limit: LOOKUP_PAGE_SIZE, after },
			itemIndex,
		);
		const found = connections.find((connection) => connection.connectionId === ref.connectionId);
		if (found) return found;
		if (!hasNextPage || connections.length === 0) return undefined;
		after = connections[connections.length - 1].id;
	}
	return undefined;
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

/**
 * A UUID-shaped id (version 8: application-defined) derived from its parts, so the same
 * execution, node, item and message always get the same id and a resend is recognisable.
 */
export function deterministicId(parts: string[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface MessageIdSeed {
	workflowId: string;
	executionId: string;
	nodeId: string;
	itemIndex: number;
}

/** `client_message_id` and `otid` of the n-th message of an item. */
export function messageIds(
	seed: MessageIdSeed,
	messageIndex: number,
): { clientMessageId: string; otid: string } {
	// Without an execution id (should not happen) ids are random: unique beats stable.
	const execution = seed.executionId || randomUUID();
	const base = [
		seed.workflowId,
		execution,
		seed.nodeId,
		String(seed.itemIndex),
		String(messageIndex),
	];
	return {
		clientMessageId: `n8n-${deterministicId(['client_message_id', ...base])}`,
		otid: deterministicId(['otid', ...base]),
	};
}
