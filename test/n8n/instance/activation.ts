import type { N8nCli } from './cli';
import { unexpectedAnswer, type RestSession } from './restSession';

/** Publishing a workflow (its triggers and webhooks listen) and unpublishing it. */

/** `n8n publish:workflow` (activation in n8n 2.x): takes effect at the next `n8n start`. */
export async function publishWorkflow(cli: N8nCli, id: string): Promise<void> {
	await cli.runChecked(['publish:workflow', `--id=${id}`]);
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
