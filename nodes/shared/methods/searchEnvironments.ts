import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { connectionStatus, describeConnection, listConnectionPage } from '../api/environments';
import { LIST_PAGE_SIZE } from './listSearch';
import { nextCursor } from '../transport/paginate';
import { createLettaClient } from '../transport/request';

/** The node option that lets the connection dropdown list offline connections too. */
export const SHOW_OFFLINE_OPTION = 'showOfflineConnections';

/**
 * Environment connections for the Connection dropdown. The value is the device ID: it stays
 * the same across Letta Code sessions, and the node resolves it to the live connectionId
 * when it runs. Online connections only, unless the node's option asks for all.
 */
export async function searchEnvironments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const options = (this.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	const onlineOnly = options[SHOW_OFFLINE_OPTION] !== true;
	const client = await createLettaClient(this);
	const page = await listConnectionPage(client, {
		limit: LIST_PAGE_SIZE,
		after: paginationToken,
		onlineOnly,
	});
	const now = Date.now();
	const needle = filter?.trim().toLowerCase();
	const results = page.connections
		// The server filters too; this keeps a stale heartbeat out even if it does not.
		.filter((connection) => !onlineOnly || connectionStatus(connection, now).online)
		.filter(
			(connection) =>
				!needle ||
				connection.connectionName.toLowerCase().includes(needle) ||
				connection.deviceId.toLowerCase().includes(needle),
		)
		.map((connection) => ({
			name: describeConnection(connection, now),
			value: connection.deviceId,
		}));
	return {
		results,
		paginationToken: nextCursor({ items: page.connections, hasMore: page.hasNextPage }),
	};
}
