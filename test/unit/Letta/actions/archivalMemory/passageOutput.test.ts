import { passageOutput } from '../../../../../nodes/Letta/actions/archivalMemory/passageOutput';

describe('passageOutput', () => {
	it('drops the embedding and its configuration, keeps everything else', () => {
		const passage = {
			id: 'passage-1',
			text: 'Refunds take 14 days.',
			tags: ['refunds'],
			archive_id: 'archive-1',
			embedding: [0.1, 0.2],
			embedding_config: { embedding_dim: 2 },
		};
		expect(passageOutput(passage)).toEqual({
			id: 'passage-1',
			text: 'Refunds take 14 days.',
			tags: ['refunds'],
			archive_id: 'archive-1',
		});
	});
});
