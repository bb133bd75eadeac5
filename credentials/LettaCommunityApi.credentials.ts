import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Named `lettaCommunityApi` so it can sit beside `lettaApi` of Letta's own n8n package.
 */
export class LettaCommunityApi implements ICredentialType {
	name = 'lettaCommunityApi';

	displayName = 'Letta Community API';

	icon = { light: 'file:../icons/letta.svg', dark: 'file:../icons/letta.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-letta/n8n-nodes-letta#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Letta API key. Letta Cloud: create one at app.letta.com under API keys. A self-hosted server without auth accepts any value.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.letta.com',
			required: true,
			placeholder: 'https://api.letta.com',
			description:
				'Letta Cloud is https://api.letta.com; a self-hosted server is usually http://localhost:8283. A trailing /v1 is fine.',
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			description: 'Optional. Scopes requests to one Letta Cloud project (sent as X-Project-Id).',
		},
	];

	// A function, not a declarative `=Bearer {{$credentials.apiKey}}`: n8n applies it to every
	// request, and an expression costs a sandboxed evaluation each time. X-Project-Id is added
	// by the transport, only when a project is set (an empty header would be sent otherwise).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` },
		};
	}

	// Listing one agent needs the key (the health endpoint does not), so a wrong key fails here.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v1$/i, "")}}',
			url: '/v1/agents/',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Letta rejected the API key (401): check the API key, and that the base URL is your Letta server.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						"The base URL looks wrong: it has no Letta API (404 for /v1/agents/). Use the server's root without a path: https://api.letta.com for Letta Cloud, or e.g. http://localhost:8283 for a self-hosted server.",
				},
			},
		],
	};
}
