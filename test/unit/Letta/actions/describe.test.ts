import { lettaNodeProperties } from '../../../../nodes/Letta/actions/describe';
import { findOperation, RESOURCES } from '../../../../nodes/Letta/actions/resources';

describe('the Letta node description', () => {
	it('every operation of every resource is found by the router, and only those', () => {
		for (const resource of RESOURCES) {
			for (const [key, operation] of Object.entries(resource.operations)) {
				expect(operation.description.value).toBe(key);
				expect(findOperation(resource.value, key)).toBe(operation);
			}
		}
		expect(findOperation('memoryBlock', 'toString')).toBeUndefined();
		expect(findOperation('nope', 'get')).toBeUndefined();
	});

	it('each operation field is shown for its resource and operation only, keeping its own conditions', () => {
		const limit = lettaNodeProperties.filter((property) => property.name === 'limit');
		expect(limit.length).toBeGreaterThan(0);
		for (const property of limit) {
			expect(property.displayOptions?.show).toEqual(
				expect.objectContaining({
					returnAll: [false],
					resource: expect.any(Array),
					operation: expect.any(Array),
				}),
			);
		}
	});

	it('one Operation dropdown per resource, each option with an action', () => {
		const dropdowns = lettaNodeProperties.filter((property) => property.name === 'operation');
		expect(dropdowns).toHaveLength(RESOURCES.length);
		for (const dropdown of dropdowns) {
			for (const option of dropdown.options ?? []) expect(option).toHaveProperty('action');
		}
	});
});
