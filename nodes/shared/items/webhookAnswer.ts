import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** Answers a webhook call with an error status and starts (or resumes) nothing. */
export function refuseWebhook(
	context: IWebhookFunctions,
	status: number,
	error: string,
): IWebhookResponseData {
	context.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}
