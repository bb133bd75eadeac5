import type { N8nCli } from './cli';
import { unexpectedAnswer, type RestSession } from './restSession';

/** Publishing a workflow (its triggers and webhooks listen) and unpublishing it. */

/** `n8n publish:workflow` (activation in n8n 2.x): takes effect at the next `n8n start`. */
export async function publishWorkflow(cli: N8nCli, id: string): Promise<void> {
	await cli.runChecked(['publish:workflow', `--id=${id}`]);
}

/**
 * Publishes a workflow in the running server, as the editor's Publish button does: its
 * current version (`GET /rest/workflows/{id}`), `POST /rest/workflows/{id}/activate`.
 */
export async function activateWorkflow(session: RestSession, id: string): Promise<void> {
	const at = `/rest/workflows/${encodeURIComponent(id)}`;
	const current = await session.call<{ data?: { versionId?: string } }>('GET', at);
	const versionId = current.body.data?.versionId;
	if (current.status !== 200 || !versionId) throw unexpectedAnswer(`GET ${at}`, current);
	const response = await session.call<unknown>('POST', `${at}/activate`, { versionId });
	if (response.status !== 200) throw unexpectedAnswer(`POST ${at}/activate`, response);
}

/** Unpublishes a workflow in the running server (`POST /rest/workflows/{id}/deactivate`). */
export async function deactivateWorkflow(session: RestSession, id: string): Promise<void> {
	const response = await session.call<unknown>(
		'POST',
		`/rest/workflows/${encodeURIComponent(id)}/deactivate`,
		{},
	);
	if (response.status !== 200) {
		throw unexpectedAnswer(`POST /rest/workflows/${id}/deactivate`, response);
	}
}
