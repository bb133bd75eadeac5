import type {
	IAuthenticateGeneric,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	startRecordingServer,
	type RecordedRequest,
	type RecordingServer,
} from './recordingServer';
import { runPoll } from './runWorkflow';

const GOOD_KEY = 'sk-poll-key';
const ITEMS = [{ id: 1 }, { id: 2 }, { id: 3 }];

let server: RecordingServer;
let received: RecordedRequest[];

beforeAll(async () => {
	server = await startRecordingServer((request) => {
		const url = new URL(request.url, server.baseUrl);
		if (request.headers.authorization !== `Bearer ${GOOD_KEY}`) {
			return { status: 401, body: { detail: 'Invalid API key' } };
		}
		if (url.searchParams.get('topic') === 'broken') {
			return { status: 500, body: { message: 'broken topic' } };
		}
		const after = Number(url.searchParams.get('after'));
		return { status: 200, body: { items: ITEMS.filter((item) => item.id > after) } };
	});
	received = server.received;
});
afterAll(async () => await server.close());
beforeEach(() => {
	received.length = 0;
});

class HarnessPollApi implements ICredentialType {
	name = 'harnessPollApi';
	displayName = 'Harness Poll API';
	properties = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string' as const,
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
	];
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};
}

/** Keeps a cursor in node static data like n8n's Gmail trigger; one sample in manual mode. */
class HarnessPoller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Poller',
		name: 'harnessPoller',
		group: ['trigger'],
		version: 1,
		description: 'Polls a test server for new items',
		defaults: { name: 'Poller' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'harnessPollApi', required: true }],
		properties: [{ displayName: 'Topic', name: 'topic', type: 'string', default: 'news' }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const cursor = this.getWorkflowStaticData('node');
		const manual = this.getMode() === 'manual';
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('harnessPollApi');
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			'harnessPollApi',
			{
				method: 'GET',
				url: `${baseUrl}/items`,
				qs: {
					after: manual ? 0 : Number(cursor.lastId ?? 0),
					topic: this.getNodeParameter('topic'),
				},
				json: true,
			},
		)) as { items: IDataObject[] };

		if (manual) {
			return response.items.length > 0
				? [this.helpers.returnJsonArray(response.items.slice(0, 1))]
				: null;
		}
		if (response.items.length === 0) return null;
		cursor.lastId = Math.max(...response.items.map((item) => Number(item.id)));
		return [this.helpers.returnJsonArray(response.items)];
	}
}

const credentials = () => ({ harnessPollApi: { apiKey: GOOD_KEY, baseUrl: server.baseUrl } });
const options = { credentialTypes: [HarnessPollApi] };

describe('runPoll in trigger mode', () => {
	it('emits new items, advances the cursor, then returns null when nothing is new', async () => {
		const first = await runPoll(HarnessPoller, { topic: 'news' }, credentials(), {}, options);

		expect(first.error).toBeUndefined();
		expect(first.output?.[0].map((item) => item.json)).toEqual(ITEMS);
		expect(first.nodeStaticData).toEqual({ lastId: 3 });
		expect(first.staticData).toEqual({ 'node:Poller': { lastId: 3 } });
		expect(received[0].url).toBe('/items?after=0&topic=news');
		expect(received[0].headers.authorization).toBe(`Bearer ${GOOD_KEY}`);

		const second = await runPoll(
			HarnessPoller,
			{ topic: 'news' },
			credentials(),
			first.staticData,
			options,
		);

		expect(second.output).toBeNull();
		expect(second.nodeStaticData).toEqual({ lastId: 3 });
		expect(received[1].url).toBe('/items?after=3&topic=news');
	});

	it('resolves expressions in the node parameters', async () => {
		await runPoll(HarnessPoller, { topic: '={{ "ne" + "ws" }}' }, credentials(), {}, options);
		expect(received[0].url).toBe('/items?after=0&topic=news');
	});

	it('hands a failed poll to n8n as an error, keeping the cursor', async () => {
		const result = await runPoll(
			HarnessPoller,
			{ topic: 'broken' },
			credentials(),
			{ 'node:Poller': { lastId: 1 } },
			options,
		);

		expect(result.output).toBeNull();
		expect(result.error?.message).toBe('The service was not able to process your request');
		expect(result.nodeStaticData).toEqual({ lastId: 1 });
	});
});

describe('runPoll in manual mode', () => {
	it('runs the poll node as the start of a manual execution, without advancing the cursor', async () => {
		const result = await runPoll(
			HarnessPoller,
			{ topic: 'news' },
			credentials(),
			{ 'node:Poller': { lastId: 3 } },
			{ ...options, mode: 'manual' },
		);

		expect(result.error).toBeUndefined();
		expect(result.output?.[0].map((item) => item.json)).toEqual([{ id: 1 }]);
		expect(result.nodeStaticData).toEqual({ lastId: 3 });
		expect(received[0].url).toBe('/items?after=0&topic=news');
	});

	it('reports the error of a failed manual poll', async () => {
		const result = await runPoll(
			HarnessPoller,
			{ topic: 'broken' },
			credentials(),
			{},
			{
				...options,
				mode: 'manual',
			},
		);
		expect(result.output).toBeNull();
		expect(result.error?.message).toBe('The service was not able to process your request');
	});
});
