import type { IExecuteFunctions } from 'n8n-workflow';

import { pageOfList, paginate } from '../../shared/transport/paginate';

/** The Return All / Limit pattern over Letta's cursor listings. */

export interface ListingLimit {
	returnAll: boolean;
	limit: number;
}

/** A guard against a listing that never ends: 1000 pages. */
const MAX_PAGES = 1000;

export function readListingLimit(context: IExecuteFunctions, itemIndex: number): ListingLimit {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? 0 : (context.getNodeParameter('limit', itemIndex, 50) as number);
	return { returnAll, limit };
}

/** Pages no larger than needed: a limit of 10 asks for 10, Return All for full pages. */
export function pageSizeFor(limit: ListingLimit, maxPageSize: number): number {
	return limit.returnAll ? maxPageSize : Math.max(1, Math.min(limit.limit, maxPageSize));
}

export async function readListing<T extends { id?: string | null }>(
	readPage: (pageSize: number, after: string | undefined) => Promise<T[]>,
	limit: ListingLimit,
	maxPageSize: number,
): Promise<T[]> {
	const pageSize = pageSizeFor(limit, maxPageSize);
	const { items } = await paginate(
		async (after) => pageOfList(await readPage(pageSize, after), pageSize),
		{
			maxPages: MAX_PAGES,
			stopBefore: (read) => !limit.returnAll && read.length >= limit.limit,
		},
	);
	return limit.returnAll ? items : items.slice(0, limit.limit);
}
