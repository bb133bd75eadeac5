import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getAgents } from '../shared/methods/loadOptions';
import { refuseWebhook } from '../shared/items/webhookAnswer';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import { lettaRunTriggerProperties } from './properties';
import { checkRunCallback, readAgentFilter, readRunOutcome } from './runCallback';
import { readSeenRuns, withSeenRun, writeSeenRuns } from './seenRuns';

// Nothing to register at Letta: the URL is given to each run as its callback_url.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class LettaRunTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta Run Trigger',
		name: 'lettaRunTrigger',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'when a run calls back',
		description:
			"Starts a workflow when a Letta run ends, from Letta's callback to this URL (the run's callback_url)",
		defaults: { name: 'Letta Run Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'letta-run' },
		],
		properties: lettaRunTriggerProperties,
	};

	methods = {
		loadOptions: { getAgents },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const client = await createLettaClient(this);
		const check = await checkRunCallback(client, this.getBodyData(), readAgentFilter(this));
		if ('refused' in check) return refuseWebhook(this, check.refused.status, check.refused.error);
		const staticData = this.getWorkflowStaticData('node');
		const seen = readSeenRuns(staticData);
		if (seen.includes(check.run.id)) {
			return { webhookResponse: { received: check.run.id, duplicate: true } };
		}
		const outcome = await readRunOutcome(client, check.run);
		if ('refused' in outcome) {
			return refuseWebhook(this, outcome.refused.status, outcome.refused.error);
		}
		writeSeenRuns(staticData, withSeenRun(seen, check.run.id));
		return { workflowData: [[outcome.item]] };
	}
}
