import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ICredentialDataDecryptedObject,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	chain,
	errorOf,
	itemsTriggerNode,
	jsonOf,
	nodeErrorOf,
	outputOf,
	runWorkflow,
	testCredential,
	workflowNode,
} from './runWorkflow';
import {
	startRecordingServer,
	type RecordedRequest,
	type RecordingServer,
	type Reply,
} from './recordingServer';

// ---- a local HTTP server that records what reaches it ----

const GOOD_KEY = 'sk-good-key';
let server: RecordingServer;
let received: RecordedRequest[];
let baseUrl: string;

function route(request: RecordedRequest): Reply {
	const authorized = request.headers.authorization === `Bearer ${GOOD_KEY}`;
	if (request.url === '/fail') return { status: 500, body: { message: 'the server failed' } };
	if (request.url.startsWith('/v1/me')) {
		if (!authorized) return { status: 401, body: { detail: 'Invalid API key' } };
		return { status: 200, body: { id: 'user-1', disabled: request.url.includes('disabled') } };
	}
	return {
		status: 200,
		body: {
			received: request.body ?? null,
			sawAuthorization: request.headers.authorization ?? null,
		},
	};
}

beforeAll(async () => {
	server = await startRecordingServer(route);
	({ received, baseUrl } = server);
});
afterAll(async () => await server.close());
beforeEach(() => {
	received.length = 0;
});

// ---- test-only credential types and node ----

const credentialProperties: INodeProperties[] = [
	{
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
	},
	{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:9' },
	{ displayName: 'Project ID', name: 'projectId', type: 'string', default: '' },
];

class HarnessDeclarativeApi implements ICredentialType {
	name = 'harnessDeclarativeApi';
	displayName = 'Harness Declarative API';
	properties = credentialProperties;
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
				'X-Project': '={{$credentials.projectId || undefined}}',
			},
		},
	};
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/v1/me' },
	};
}

class HarnessFunctionApi implements ICredentialType {
	name = 'harnessFunctionApi';
	displayName = 'Harness Function API';
	properties = credentialProperties;
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers: IDataObject = {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.apiKey)}`,
		};
		if (credentials.projectId) headers['X-Project'] = credentials.projectId;
		return { ...requestOptions, headers };
	}
}

class HarnessCodeRuleApi extends HarnessDeclarativeApi {
	name = 'harnessCodeRuleApi';
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/v1/me' },
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'The API key was refused' } },
		],
	};
}

class HarnessBodyRuleApi extends HarnessDeclarativeApi {
	name = 'harnessBodyRuleApi';
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/v1/me-disabled' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'disabled', value: true, message: 'This account is disabled' },
			},
		],
	};
}

class HarnessProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Probe',
		name: 'harnessProbe',
		group: ['transform'],
		version: 1,
		description: 'Sends each item to a test server',
		defaults: { name: 'Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'harnessDeclarativeApi',
				required: true,
				displayOptions: { show: { authentication: ['declarative'] } },
			},
			{
				name: 'harnessFunctionApi',
				required: true,
				displayOptions: { show: { authentication: ['function'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Declarative', value: 'declarative' },
					{ name: 'Function', value: 'function' },
				],
				default: 'declarative',
			},
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Message', name: 'message', type: 'string', default: '' },
			{ displayName: 'Binary Property', name: 'binaryProperty', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentialType =
			this.getNodeParameter('authentication', 0) === 'function'
				? 'harnessFunctionApi'
				: 'harnessDeclarativeApi';
		const { baseUrl: credentialBaseUrl } = await this.getCredentials<{ baseUrl: string }>(
			credentialType,
		);
		const staticData = this.getWorkflowStaticData('node');
		staticData.runs = Number(staticData.runs ?? 0) + 1;

		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const body: IDataObject = { message: this.getNodeParameter('message', itemIndex) };
				const binaryProperty = this.getNodeParameter('binaryProperty', itemIndex) as string;
				if (binaryProperty) {
					const binary = this.helpers.assertBinaryData(itemIndex, binaryProperty);
					const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, binaryProperty);
					body.file = {
						name: binary.fileName,
						mimeType: binary.mimeType,
						text: bytes.toString('utf8'),
					};
				}
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					{
						method: 'POST',
						url: `${credentialBaseUrl}${this.getNodeParameter('path', itemIndex) as string}`,
						body,
						json: true,
					},
				)) as IDataObject;
				output.push({ json: response, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}
		return [output];
	}
}

// ---- helpers for these tests ----

const credentialTypes = [HarnessDeclarativeApi, HarnessFunctionApi];

function credentials(apiKey = GOOD_KEY, projectId = '') {
	const data = { apiKey, baseUrl, projectId };
	return { harnessDeclarativeApi: data, harnessFunctionApi: data };
}

async function runProbe(
	probeParameters: IDataObject,
	options: {
		apiKey?: string;
		projectId?: string;
		onError?: 'continueRegularOutput' | 'continueErrorOutput';
		items?: Parameters<typeof itemsTriggerNode>[0];
		staticData?: IDataObject;
	} = {},
) {
	const probe = workflowNode(
		HarnessProbe,
		'Probe',
		probeParameters as never,
		options.onError ? { onError: options.onError } : {},
	);
	return await runWorkflow({
		nodes: [itemsTriggerNode(options.items ?? [{ json: { name: 'Ada' } }]), probe],
		connections: chain('Start', 'Probe'),
		nodeTypes: [HarnessProbe],
		credentialTypes,
		credentials: credentials(options.apiKey, options.projectId),
		staticData: options.staticData,
	});
}

// ---- the tests ----

describe('runWorkflow', () => {
	it('sends the Bearer header built by the credential declarative authenticate', async () => {
		const result = await runProbe({ message: 'hi' });

		expect(errorOf(result)).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(received[0].headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
		expect(jsonOf(result, 'Probe')).toEqual([
			{ received: { message: 'hi' }, sawAuthorization: `Bearer ${GOOD_KEY}` },
		]);
		expect(result.nodeExecutionOrder).toEqual(['Start', 'Probe']);
	});

	it('applies a function-style authenticate', async () => {
		await runProbe({ authentication: 'function' }, { projectId: 'proj-7' });

		expect(received[0].headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
		expect(received[0].headers['x-project']).toBe('proj-7');
	});

	it('sends a declarative header that resolves to undefined as an empty header, as n8n does', async () => {
		await runProbe({ message: 'no project' });
		expect(received[0].headers['x-project']).toBe('');

		received.length = 0;
		await runProbe({ message: 'with project' }, { projectId: 'proj-1' });
		expect(received[0].headers['x-project']).toBe('proj-1');
	});

	it('resolves expressions in node parameters for each item, keeping pairedItem', async () => {
		const result = await runProbe(
			{ message: '={{ "hello " + $json.name + " from " + $("Start").item.json.name }}' },
			{ items: [{ json: { name: 'Ada' } }, { json: { name: 'Bob' } }] },
		);

		expect(received.map((request) => (request.body as IDataObject).message)).toEqual([
			'hello Ada from Ada',
			'hello Bob from Bob',
		]);
		expect(outputOf(result, 'Probe').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});

	it('brings binary data from the trigger to the node through the binary data service', async () => {
		const result = await runProbe(
			{ binaryProperty: 'attachment' },
			{
				items: [
					{
						json: { name: 'Ada' },
						binary: {
							attachment: {
								data: Buffer.from('hello binary').toString('base64'),
								mimeType: 'text/plain',
								fileName: 'note.txt',
							},
						},
					},
				],
			},
		);

		const stored = outputOf(result, 'Start')[0].binary?.attachment;
		// filesystem mode: the item holds a reference, not the bytes.
		expect(stored?.id).toMatch(/^filesystem-v2:/);
		expect((received[0].body as IDataObject).file).toEqual({
			name: 'note.txt',
			mimeType: 'text/plain',
			text: 'hello binary',
		});
	});

	it('fails the execution with the node error when the node does not continue on fail', async () => {
		const result = await runProbe({ path: '/fail' });

		// n8n's NodeApiError wording for a 5xx answer.
		expect(errorOf(result)?.message).toBe('The service was not able to process your request');
		expect(nodeErrorOf(result, 'Probe')?.message).toBe(errorOf(result)?.message);
		expect(() => outputOf(result, 'Probe')).toThrow(/Node "Probe" failed/);
	});

	it('yields an error item on the regular output with onError continueRegularOutput', async () => {
		const result = await runProbe({ path: '/fail' }, { onError: 'continueRegularOutput' });

		expect(errorOf(result)).toBeUndefined();
		const [item] = outputOf(result, 'Probe');
		expect(item.json.error).toEqual(expect.any(String));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('routes error items to the error output with onError continueErrorOutput', async () => {
		const result = await runProbe(
			{ path: '={{ $json.name === "Bob" ? "/fail" : "/echo" }}' },
			{
				onError: 'continueErrorOutput',
				items: [{ json: { name: 'Ada' } }, { json: { name: 'Bob' } }],
			},
		);

		expect(outputOf(result, 'Probe', 0)).toHaveLength(1);
		const errors = outputOf(result, 'Probe', 1);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toEqual(expect.any(String));
	});

	it('passes workflow static data in and reads it back', async () => {
		const result = await runProbe({}, { staticData: { 'node:Probe': { runs: 41 } } });

		expect(result.staticData).toEqual({ 'node:Probe': { runs: 42 } });
	});

	it('reports a missing node clearly instead of returning nothing', async () => {
		const result = await runProbe({});
		expect(() => outputOf(result, 'Nope')).toThrow(
			/Node "Nope" has no run 0; nodes that ran: \[Start, Probe\]/,
		);
	});
});

describe('testCredential', () => {
	it('is OK when the test request succeeds with the credential', async () => {
		await expect(
			testCredential(HarnessDeclarativeApi, { apiKey: GOOD_KEY, baseUrl }),
		).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(received[0].url).toBe('/v1/me');
		expect(received[0].headers.authorization).toBe(`Bearer ${GOOD_KEY}`);
	});

	it('is an Error with the status text when the server answers 401', async () => {
		await expect(
			testCredential(HarnessDeclarativeApi, { apiKey: 'sk-wrong', baseUrl }),
		).resolves.toEqual({
			status: 'Error',
			message: 'Unauthorized',
		});
		// n8n-core retries a 401 once after preAuthentication, so the server sees it twice.
		expect(received).toHaveLength(2);
	});

	it('applies the credential test rules', async () => {
		await expect(
			testCredential(HarnessCodeRuleApi, { apiKey: 'sk-wrong', baseUrl }),
		).resolves.toEqual({
			status: 'Error',
			message: 'The API key was refused',
		});
		await expect(
			testCredential(HarnessBodyRuleApi, { apiKey: GOOD_KEY, baseUrl }),
		).resolves.toEqual({
			status: 'Error',
			message: 'This account is disabled',
		});
	});

	it('reports a connection failure by its error code', async () => {
		// The default base URL (port 9, discard) has nothing listening.
		const result = await testCredential(HarnessDeclarativeApi, { apiKey: GOOD_KEY });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
