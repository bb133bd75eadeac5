import { unexpectedBlockValue } from '../../../../../nodes/Letta/actions/memoryBlock/guard';

describe('unexpectedBlockValue', () => {
	it('is undefined while the block holds exactly the expected value', () => {
		expect(unexpectedBlockValue('Jane, CTO', 'Jane, CTO')).toBeUndefined();
		expect(unexpectedBlockValue('', '')).toBeUndefined();
	});
	it('shows what the block holds now, even a whitespace change', () => {
		expect(unexpectedBlockValue('Jane', 'Jane ')).toBe('Jane ');
	});
	it('shortens a long current value and says how long it is', () => {
		const shown = unexpectedBlockValue('x', 'y'.repeat(500));
		expect(shown).toBe(`${'y'.repeat(200)}… (500 characters)`);
	});
});
