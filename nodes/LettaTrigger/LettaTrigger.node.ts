import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { discoverPendingApprovals } from '../shared/approvals/pendingApprovals';
import {
	planPoll,
	readApprovalState,
	settleDenials,
	writeApprovalState,
} from '../shared/approvals/triggerState';
import { getAgents } from '../shared/methods/loadOptions';
import { searchAgents, searchConversations } from '../shared/methods/listSearch';
import { createLettaClient, LETTA_CREDENTIAL_TYPE } from '../shared/transport/request';
import { manualSample, pollBudget, pollItems, sendDenials } from './poll';
import { lettaTriggerProperties } from './properties';
import { readTriggerSettings } from './settings';

export class LettaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Letta Trigger',
		name: 'lettaTrigger',
		icon: { light: 'file:../../icons/letta.svg', dark: 'file:../../icons/letta.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "approvals: " + $parameter["scope"] }}',
		description:
			'Starts a workflow when a Letta agent waits for a human to approve a tool call, once per request',
		defaults: { name: 'Letta Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: LETTA_CREDENTIAL_TYPE, required: true }],
		properties: lettaTriggerProperties,
	};

	methods = {
		listSearch: { searchAgents, searchConversations },
		loadOptions: { getAgents },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readTriggerSettings(this);
		const client = await createLettaClient(this);
		const nodeData = this.getWorkflowStaticData('node');
		const state = readApprovalState(nodeData);

		// Reads only, and throws before anything is emitted or stored: a failed poll changes nothing.
		const discovery = await discoverPendingApprovals(
			client,
			settings.watch,
			state.answeredRuns,
			pollBudget(this),
		);
		if (this.getMode() === 'manual') return manualSample(this, discovery, state, settings);

		const plan = planPoll(state, discovery, {
			now: Date.now(),
			remindAfterMs: settings.remindAfterMs,
			denyAfterMs: settings.denyAfterMs,
		});
		const denials = await sendDenials(client, plan.deny, settings.denyReason);
		const settled = settleDenials(plan.next, denials, Date.now());
		const items = pollItems(plan.emit, settled.report, settings);
		writeApprovalState(nodeData, settled.state);
		return items.length ? [items] : null;
	}
}
