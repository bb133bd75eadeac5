import { nextCursor, pageOfList, paginate } from '../../../../nodes/shared/transport/paginate';

interface Row {
	id: string;
}

const rows = (from: number, count: number): Row[] =>
	Array.from({ length: count }, (_, index) => ({ id: `row-${from + index}` }));

/** A listing of `total` rows served `limit` at a time after a cursor, recording the cursors asked. */
function listing(total: number, limit: number) {
	const all = rows(0, total);
	const cursors: Array<string | undefined> = [];
	const readPage = async (after: string | undefined) => {
		cursors.push(after);
		const start = after ? all.findIndex((row) => row.id === after) + 1 : 0;
		return pageOfList(all.slice(start, start + limit), limit);
	};
	return { readPage, cursors };
}

describe('paginate', () => {
	it('reads page after page with the last id as cursor, to a short page', async () => {
		const { readPage, cursors } = listing(25, 10);
		const result = await paginate(readPage, { maxPages: 10 });
		expect(result.items).toHaveLength(25);
		expect(result.complete).toBe(true);
		expect(cursors).toEqual([undefined, 'row-9', 'row-19']);
	});

	it('reads one more (empty) page when the last page is full', async () => {
		const { readPage, cursors } = listing(20, 10);
		const result = await paginate(readPage, { maxPages: 10 });
		expect(result).toEqual({ items: rows(0, 20), complete: true });
		expect(cursors).toHaveLength(3);
	});

	it('stops at maxPages, and says the listing was not read to its end', async () => {
		const { readPage } = listing(100, 10);
		expect(await paginate(readPage, { maxPages: 2 })).toEqual({
			items: rows(0, 20),
			complete: false,
		});
	});

	it('starts after a given cursor, and stops before a page when asked', async () => {
		const { readPage, cursors } = listing(100, 10);
		const result = await paginate(readPage, {
			maxPages: 10,
			after: 'row-49',
			stopBefore: (read) => read.length >= 20,
		});
		expect(result.items[0].id).toBe('row-50');
		expect(result).toMatchObject({ complete: false });
		expect(cursors).toEqual(['row-49', 'row-59']);
	});

	it('stops after the page where what it looks for turns up', async () => {
		const { readPage, cursors } = listing(100, 10);
		const result = await paginate(readPage, {
			maxPages: 10,
			stopAfter: (page) => page.some((row) => row.id === 'row-15'),
		});
		expect(result).toMatchObject({ complete: true });
		expect(cursors).toHaveLength(2);
	});
});

describe('nextCursor', () => {
	it('is the last id of a page with more, nothing otherwise', () => {
		expect(nextCursor({ items: rows(0, 3), hasMore: true })).toBe('row-2');
		expect(nextCursor({ items: rows(0, 3), hasMore: false })).toBeUndefined();
		expect(nextCursor({ items: [], hasMore: true })).toBeUndefined();
	});
});
