import { unexpectedAnswer, type HttpAnswer, type RestSession } from './restSession';

/** The node and credential types a running instance loaded (what the editor's panels show). */

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	[key: string]: unknown;
}

export interface CredentialTypeDescription {
	name: string;
	displayName: string;
	[key: string]: unknown;
}

async function typeList<T>(session: RestSession, urlPath: string): Promise<T[]> {
	const response: HttpAnswer<T[]> = await session.call<T[]>('GET', urlPath);
	if (response.status !== 200 || !Array.isArray(response.body)) {
		throw unexpectedAnswer(`GET ${urlPath}`, response, 300);
	}
	return response.body;
}

/** Every node type the running instance loaded (`GET /types/nodes.json`). */
export async function nodeTypes(session: RestSession): Promise<NodeTypeDescription[]> {
	return await typeList<NodeTypeDescription>(session, '/types/nodes.json');
}

/** Every credential type the running instance loaded (`GET /types/credentials.json`). */
export async function credentialTypes(session: RestSession): Promise<CredentialTypeDescription[]> {
	return await typeList<CredentialTypeDescription>(session, '/types/credentials.json');
}
