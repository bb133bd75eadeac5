import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	IWorkflowBase,
	IWorkflowSettings,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { CredentialTypesRegistry, type CredentialTypeSource } from './credentialTypes';
import { HarnessCredentialsHelper, type CredentialsByType } from './credentialsHelper';
import { ItemsTrigger } from './ItemsTrigger';
import { ensureN8nEnvironment } from './n8nEnvironment';
import { NodeTypesRegistry, type NodeTypeSource } from './nodeTypes';
import type { WorkflowRunResult } from './results';

export { outputOf, jsonOf, errorOf, nodeErrorOf, taskOf, type WorkflowRunResult } from './results';
export { ItemsTrigger, itemsTriggerNode, type TestItem } from './ItemsTrigger';
export { nodeTypeName, type NodeTypeSource } from './nodeTypes';
export type { CredentialTypeSource } from './credentialTypes';
export type { CredentialsByType } from './credentialsHelper';
export { workflowNode, chain } from './workflowBuilders';
export { testCredential } from './testCredential';

export interface RunWorkflowOptions {
	/** n8n workflow JSON: nodes (type `n8n-nodes-letta.<name>`, see nodeTypeName) ... */
	nodes: INode[];
	/** ... and connections. */
	connections: IConnections;
	/** The node classes the workflow uses; ItemsTrigger is always available. */
	nodeTypes?: NodeTypeSource[];
	/** The credential classes the nodes use. */
	credentialTypes?: CredentialTypeSource[];
	/** Decrypted credential data by credential type name. */
	credentials?: CredentialsByType;
	/** Initial workflow static data (node data under `node:<node name>`). */
	staticData?: IDataObject;
	/** The node to start from; defaults to n8n's choice (the first trigger). */
	startNode?: string;
	settings?: IWorkflowSettings;
	/** `$vars` in expressions. */
	variables?: IDataObject;
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

/**
 * Runs a workflow the way n8n runs a manual execution: n8n-core's WorkflowExecute, real
 * node execution contexts, real HTTP through n8n's request helpers.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	await ensureN8nEnvironment();
	const credentials = structuredClone(options.credentials ?? {});
	const nodeTypes = new NodeTypesRegistry([ItemsTrigger, ...(options.nodeTypes ?? [])]);
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypesRegistry(options.credentialTypes ?? []),
		credentials,
	);
	const nodes = attachCredentials(structuredClone(options.nodes), nodeTypes, credentials);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...options.settings };
	const workflowId = 'harness-workflow';
	const executionId = `harness-execution-${++executionCounter}`;

	const workflow = new Workflow({
		id: workflowId,
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		staticData: structuredClone(options.staticData ?? {}),
		settings,
	});
	const workflowData: IWorkflowBase = {
		id: workflowId,
		name: 'Test workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: options.connections,
		settings,
	};

	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});

	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		variables: options.variables,
		workflowSettings: settings,
	});

	const startNode =
		options.startNode === undefined
			? workflow.getStartNode()
			: (workflow.getNode(options.startNode) ?? undefined);
	if (startNode === undefined) {
		throw new UnexpectedError(
			`No start node: "${options.startNode ?? '(a trigger)'}" is not in the workflow`,
		);
	}

	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });
	return {
		run,
		error: run.data.resultData.error,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
		nodeExecutionOrder,
		credentials,
	};
}
