import { unexpectedAnswer, type RestSession } from './restSession';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface CredentialToTest {
	id: string;
	name: string;
	type: string;
	data?: Record<string, unknown>;
}

/**
 * Tests a credential through n8n's own endpoint, `POST /rest/credentials/test`, as the
 * credential dialog does (logged in). n8n 2.41 only tests a stored credential (by id) that the
 * user can read; `data` given here replaces the stored values (the way edits in the dialog do).
 */
export async function testCredential(
	session: RestSession,
	credential: CredentialToTest,
): Promise<CredentialTestResult> {
	const response = await session.call<{ data?: CredentialTestResult; message?: string }>(
		'POST',
		'/rest/credentials/test',
		{ credentials: credential },
	);
	if (response.status !== 200 || !response.body.data) {
		throw unexpectedAnswer('POST /rest/credentials/test', response);
	}
	return response.body.data;
}
