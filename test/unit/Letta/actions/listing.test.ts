import { pageSizeFor, readListing } from '../../../../nodes/Letta/actions/listing';

const ids = (count: number, from = 0) =>
	Array.from({ length: count }, (_, index) => ({ id: `id-${from + index}` }));

describe('pageSizeFor', () => {
	it('asks for no more than the limit, and full pages for Return All', () => {
		expect(pageSizeFor({ returnAll: false, limit: 10 }, 100)).toBe(10);
		expect(pageSizeFor({ returnAll: false, limit: 500 }, 100)).toBe(100);
		expect(pageSizeFor({ returnAll: true, limit: 0 }, 100)).toBe(100);
	});
});

describe('readListing', () => {
	it('Limit: stops once enough is read and cuts the last page', async () => {
		const asked: Array<[number, string | undefined]> = [];
		const items = await readListing(
			async (pageSize, after) => {
				asked.push([pageSize, after]);
				return ids(pageSize, asked.length * 100);
			},
			{ returnAll: false, limit: 3 },
			2,
		);
		expect(items).toHaveLength(3);
		expect(asked).toEqual([
			[2, undefined],
			[2, 'id-101'],
		]);
	});

	it('Return All: follows the cursor until a short page', async () => {
		const pages = [ids(2, 0), ids(2, 2), ids(1, 4)];
		const items = await readListing(
			async () => pages.shift() ?? [],
			{ returnAll: true, limit: 0 },
			2,
		);
		expect(items.map((item) => item.id)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
	});
});
