import type { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { CredentialTypesRegistry, type CredentialTypeSource } from './credentialTypes';
import { HarnessCredentialsHelper, type CredentialsByType } from './credentialsHelper';
import { ItemsTrigger } from './ItemsTrigger';
import { ensureN8nEnvironment } from './n8nEnvironment';
import { NodeTypesRegistry, type NodeTypeSource } from './nodeTypes';

export const WORKFLOW_ID = 'harness-workflow';
export const WORKFLOW_NAME = 'Test workflow';

export interface WorkflowSetupOptions {
	nodes: INode[];
	connections: IConnections;
	/** The node classes the workflow uses; ItemsTrigger is always available. */
	nodeTypes?: NodeTypeSource[];
	/** The credential classes the nodes use. */
	credentialTypes?: CredentialTypeSource[];
	/** Decrypted credential data by credential type name. */
	credentials?: CredentialsByType;
	/** Workflow static data (a node's data under `node:<node name>`). */
	staticData?: IDataObject;
	settings?: IWorkflowSettings;
	/** `$vars` in expressions. */
	variables?: IDataObject;
}

export interface WorkflowSetup {
	workflow: Workflow;
	nodes: INode[];
	settings: IWorkflowSettings;
	executionId: string;
	additionalData: IWorkflowExecuteAdditionalData;
	/** Credential data as the run sees it (preAuthentication may update it). */
	credentials: CredentialsByType;
}

let executionCounter = 0;

/**
 * Gives each node the credentials it declares and the test supplied, unless the node
 * already says which credentials it uses, like a user picking them in the editor.
 */
function attachCredentials(
	nodes: INode[],
	nodeTypes: NodeTypesRegistry,
	credentials: CredentialsByType,
): INode[] {
	return nodes.map((node) => {
		if (node.credentials !== undefined) return node;
		const declared = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description
			.credentials;
		const attached: INode['credentials'] = {};
		for (const { name } of declared ?? []) {
			if (credentials[name] !== undefined) attached[name] = { id: `${name}-id`, name };
		}
		return Object.keys(attached).length > 0 ? { ...node, credentials: attached } : node;
	});
}

/** The n8n Workflow and additional data an execution or a poll runs with. Inputs are copied. */
export async function setUpWorkflow(
	options: WorkflowSetupOptions,
	hooks?: ExecutionLifecycleHooks,
): Promise<WorkflowSetup> {
	await ensureN8nEnvironment();
	const credentials = structuredClone(options.credentials ?? {});
	const nodeTypes = new NodeTypesRegistry([ItemsTrigger, ...(options.nodeTypes ?? [])]);
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypesRegistry(options.credentialTypes ?? []),
		credentials,
	);
	const nodes = attachCredentials(structuredClone(options.nodes), nodeTypes, credentials);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...options.settings };
	const executionId = `harness-execution-${++executionCounter}`;

	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		staticData: structuredClone(options.staticData ?? {}),
		settings,
	});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId: WORKFLOW_ID,
		variables: options.variables,
		workflowSettings: settings,
	});
	return { workflow, nodes, settings, executionId, additionalData, credentials };
}

/** A plain copy of the workflow's static data (n8n keeps it in an observable object). */
export function readStaticData(workflow: Workflow): IDataObject {
	return JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
}
