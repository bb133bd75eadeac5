import { unexpectedAnswer, type RestSession } from './restSession';

/** The instance's owner account: created on a fresh instance, logged in to otherwise. */

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** True when the instance still shows the owner set-up screen. */
async function needsOwnerSetup(session: RestSession): Promise<boolean> {
	const settings = await session.call<{
		data?: { userManagement?: { showSetupOnFirstLoad?: boolean } };
	}>('GET', '/rest/settings');
	return settings.body.data?.userManagement?.showSetupOnFirstLoad === true;
}

/**
 * Creates the owner account through `POST /rest/owner/setup` (what the set-up screen does;
 * the response carries the session cookie), or logs in when an owner exists already.
 */
export async function ensureOwner(
	session: RestSession,
	owner: Owner,
): Promise<'created' | 'existing'> {
	if (await needsOwnerSetup(session)) {
		const setup = await session.call<unknown>('POST', '/rest/owner/setup', owner);
		if (setup.status !== 200) throw unexpectedAnswer('POST /rest/owner/setup', setup);
		return 'created';
	}
	await login(session, owner.email, owner.password);
	return 'existing';
}

/** `POST /rest/login`: the session keeps the `n8n-auth` cookie for the next calls. */
export async function login(session: RestSession, email: string, password: string): Promise<void> {
	const response = await session.call<unknown>('POST', '/rest/login', {
		emailOrLdapLoginId: email,
		password,
	});
	if (response.status !== 200 || !session.loggedIn) {
		throw unexpectedAnswer('POST /rest/login', response);
	}
}
