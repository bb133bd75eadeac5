/**
 * Letta's listings page with a cursor: `after` is the id of the last item read. The one
 * loop that reads such a listing page by page; callers say how to read a page and when
 * they have enough.
 */

export interface Page<T> {
	items: T[];
	/** Whether the listing may go on after this page. */
	hasMore: boolean;
}

export interface PaginateOptions<T> {
	/** A guard against a server that never stops saying there is more. */
	maxPages: number;
	/** The cursor to start after (null or undefined: from the start). */
	after?: string | null;
	/** Asked before each page with what was read so far: true stops (budget spent, enough read). */
	stopBefore?: (read: T[]) => boolean;
	/** Asked after each page: true stops (what was looked for is found). */
	stopAfter?: (page: T[]) => boolean;
}

export interface Paginated<T> {
	items: T[];
	/** True when the listing was read to its end (or `stopAfter` found what it wanted). */
	complete: boolean;
}

/** The array listings (agents, runs, conversations, messages): a full page means there may be more. */
export function pageOfList<T>(items: T[], limit: number): Page<T> {
	return { items, hasMore: items.length >= limit };
}

/** The cursor of the next page, or undefined on the last one (the dropdowns' pagination token). */
export function nextCursor<T extends { id?: string | null }>(page: Page<T>): string | undefined {
	const last = page.items[page.items.length - 1];
	return page.hasMore && last?.id ? last.id : undefined;
}

export async function paginate<T extends { id?: string | null }>(
	readPage: (after: string | undefined) => Promise<Page<T>>,
	options: PaginateOptions<T>,
): Promise<Paginated<T>> {
	const items: T[] = [];
	let after = options.after ?? undefined;
	for (let pages = 0; pages < options.maxPages; pages++) {
		if (options.stopBefore?.(items)) return { items, complete: false };
		const page = await readPage(after);
		items.push(...page.items);
		if (options.stopAfter?.(page.items)) return { items, complete: true };
		after = nextCursor(page);
		if (after === undefined) return { items, complete: true };
	}
	return { items, complete: false };
}
