import { BLOCK_ID, checkLettaId, PASSAGE_ID, RUN_ID } from '../../../../nodes/Letta/actions/ids';

describe('checkLettaId', () => {
	it('accepts each kind’s format, trimmed', () => {
		expect(checkLettaId(' run-00000000-0000-4000-8000-000000000001 ', RUN_ID)).toEqual({
			id: 'run-00000000-0000-4000-8000-000000000001',
		});
		expect(checkLettaId(BLOCK_ID.example, BLOCK_ID)).toEqual({ id: BLOCK_ID.example });
		expect(checkLettaId(PASSAGE_ID.example, PASSAGE_ID)).toEqual({ id: PASSAGE_ID.example });
	});
	it('says what is wrong: nothing given, or not that kind of id', () => {
		expect(checkLettaId('', RUN_ID)).toEqual({ problem: 'No run ID given' });
		expect(checkLettaId(BLOCK_ID.example, RUN_ID)).toEqual({
			problem: `"${BLOCK_ID.example}" is not a Letta run ID`,
		});
		expect(checkLettaId(42, BLOCK_ID)).toEqual({ problem: 'No block ID given' });
	});
});
