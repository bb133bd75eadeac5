import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import {
	CredentialTypesRegistry,
	instantiateCredentialType,
	type CredentialTypeSource,
} from './credentialTypes';
import { HarnessCredentialsHelper } from './credentialsHelper';
import { ensureN8nEnvironment } from './n8nEnvironment';

/** The node type n8n's credentials tester borrows to run a credential's `test.request`. */
const TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

interface RequestFailure {
	message?: string;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

function valueAtPath(data: IDataObject, path: string): unknown {
	let value: unknown = data;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/**
 * Tests credentials the way n8n's "Test" button does (CredentialsTester in n8n's CLI):
 * defaults applied and expressions resolved, then the type's `test.request` run as a
 * declarative routing request on a temporary node, authenticated by the type itself,
 * and its outcome mapped to `{ status, message }` with the same rules and messages.
 */
export async function testCredential(
	credentialClass: CredentialTypeSource,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	await ensureN8nEnvironment();
	const credentialType = instantiateCredentialType(credentialClass);
	const { test } = credentialType;
	if (test === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypesRegistry([credentialType]),
		{ [credentialType.name]: structuredClone(data) },
	);
	const additionalData = buildAdditionalData({ credentialsHelper });

	let resolvedData: ICredentialDataDecryptedObject;
	try {
		resolvedData = await credentialsHelper.applyDefaultsAndResolve(
			additionalData,
			structuredClone(data),
			credentialType.name,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const testNodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: TEST_NODE_TYPE,
			group: ['organization'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => testNodeType,
		getByNameAndVersion: () => testNodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: null, name: 'Credential under test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, {
		id: 'credential-under-test',
		name: 'Credential under test',
		type: credentialType.name,
		data: resolvedData,
	});

	let response: Awaited<ReturnType<RoutingNode['runNode']>>;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as RequestFailure;
		const failedResponse = error.cause?.response;
		if (failedResponse) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === failedResponse.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (failedResponse.status < 199 || failedResponse.status > 299) {
				return {
					status: 'Error',
					message:
						failedResponse.statusText || `Received HTTP status code: ${failedResponse.status}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json ?? {};
		if (valueAtPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
