/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test tooling in plain Node; the tokens are the stand-in's own, not secrets */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import { makeSlackTlsFiles, SLACK_API_HOST } from './certificates';

/**
 * A stand-in for Slack's Web API (https://slack.com/api/<method>) on 127.0.0.1, for the calls
 * n8n's Slack node (n8n-nodes-base 2.41.1, V2) makes in a send-and-wait approval:
 * `chat.postMessage` (the approval message and its link buttons), `chat.update` and
 * `chat.postEphemeral` (interactive buttons only), `users.info`, and `users.profile.get` (the
 * credential test of an access-token credential). Answers are shaped as Slack documents them:
 * HTTP 200 with `ok: true` or `ok: false` and an `error` code.
 *
 * n8n reaches it through an HTTP proxy on 127.0.0.1 that its outbound HTTP stack takes from
 * HTTPS_PROXY (proxy-from-env in @n8n/backend-network): the proxy terminates TLS of
 * CONNECT slack.com:443 tunnels itself, with a certificate of a throwaway authority that only
 * the suite's n8n trusts (NODE_EXTRA_CA_CERTS), and refuses every other host, so nothing leaves
 * the machine. Loopback stays direct (NO_PROXY).
 */

/** The workspace the stand-in plays. */
export const SLACK_WORKSPACE = {
	teamId: 'T0E2ELETTA',
	userId: 'U0E2EAPPROVER',
	userName: 'approver',
	/** The user token (authed_user.access_token) of the OAuth2 credential, and of the access-token one. */
	userToken: 'xoxp-e2e-stand-in-user-token',
	botToken: 'xoxb-e2e-stand-in-bot-token',
	channels: [{ id: 'C0E2EAPPROVALS', name: 'agent-approvals' }],
} as const;

/**
 * The Slack OAuth2 credential of examples/slack-approval.json (by its id), as n8n stores one
 * after the OAuth dance: the node sends `authed_user.access_token` (a user token).
 */
export const SLACK_CREDENTIAL = {
	id: 'slack-approvals',
	name: 'Slack account',
	type: 'slackOAuth2Api',
	data: {
		clientId: 'e2e-stand-in-client',
		clientSecret: 'e2e-stand-in-client-secret',
		oauthTokenData: {
			access_token: SLACK_WORKSPACE.botToken,
			token_type: 'bot',
			authed_user: { id: SLACK_WORKSPACE.userId, access_token: SLACK_WORKSPACE.userToken },
		},
	},
};

export interface SlackButton {
	text: string;
	url?: string;
	style?: string;
}

/** A message as the stand-in recorded it. */
export interface SlackMessage {
	channel: string;
	/** The channel as the node named it (an id, `#name` or `name`). */
	channelRequested: string;
	ts: string;
	/** The `text` argument, else the text of the blocks' sections, one per line. */
	text: string;
	buttons: SlackButton[];
	blocks: unknown[];
	/** Later `chat.update` calls replace text and blocks; each one is counted. */
	updates: number;
}

export interface SlackCall {
	method: string;
	apiMethod: string;
	/** `error` of the answer when it was `ok: false`. */
	error?: string;
	body: Record<string, unknown>;
}

export interface SlackStandIn {
	/** The HTTP proxy for n8n (HTTPS_PROXY). */
	proxyUrl: string;
	/** The variables that make an n8n process reach the stand-in for slack.com. */
	environment: Record<string, string>;
	messages(): SlackMessage[];
	calls(): SlackCall[];
	/** Hosts the proxy refused to reach (anything but slack.com:443). */
	refused(): string[];
	clear(): void;
	stop(): Promise<void>;
}

type Answer = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
	return isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** The visible text of section blocks, and the link buttons of action blocks. */
function readBlocks(blocks: unknown[]): { text: string; buttons: SlackButton[] } {
	const lines: string[] = [];
	const buttons: SlackButton[] = [];
	for (const block of blocks) {
		if (!isRecord(block)) continue;
		const text = textOf(block.text);
		if (block.type === 'section' && text !== undefined && text.trim() !== '') lines.push(text);
		if (block.type === 'actions' && Array.isArray(block.elements)) {
			for (const element of block.elements) {
				if (!isRecord(element) || element.type !== 'button') continue;
				buttons.push({
					text: textOf(element.text) ?? '',
					...(typeof element.url === 'string' ? { url: element.url } : {}),
					...(typeof element.style === 'string' ? { style: element.style } : {}),
				});
			}
		}
	}
	return { text: lines.join('\n'), buttons };
}

async function readBody(request: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks).toString('utf8');
	const body: Record<string, unknown> = Object.fromEntries(url.searchParams);
	if (raw === '') return body;
	const type = request.headers['content-type'] ?? '';
	if (type.includes('application/json')) {
		const parsed: unknown = JSON.parse(raw);
		if (isRecord(parsed)) Object.assign(body, parsed);
	} else {
		Object.assign(body, Object.fromEntries(new URLSearchParams(raw)));
	}
	return body;
}

class SlackWorkspace {
	readonly messages: SlackMessage[] = [];

	readonly calls: SlackCall[] = [];

	private clock = 1_760_000_000;

	private nextTs(): string {
		this.clock += 1;
		return `${this.clock}.000100`;
	}

	private channel(requested: unknown): string | undefined {
		if (typeof requested !== 'string') return undefined;
		const name = requested.replace(/^#/, '');
		return SLACK_WORKSPACE.channels.find((channel) => channel.id === name || channel.name === name)
			?.id;
	}

	/** One Web API method call: `ok: true` with its result, or `ok: false` with an error code. */
	answer(apiMethod: string, token: string | undefined, body: Record<string, unknown>): Answer {
		if (!token) return { ok: false, error: 'not_authed' };
		if (token !== SLACK_WORKSPACE.userToken && token !== SLACK_WORKSPACE.botToken) {
			return { ok: false, error: 'invalid_auth' };
		}
		switch (apiMethod) {
			case 'auth.test':
				return {
					ok: true,
					url: 'https://e2e-letta.slack.com/',
					team: 'Letta e2e',
					user: SLACK_WORKSPACE.userName,
					team_id: SLACK_WORKSPACE.teamId,
					user_id: SLACK_WORKSPACE.userId,
				};
			case 'users.profile.get':
				return {
					ok: true,
					profile: { real_name: 'Approver', display_name: SLACK_WORKSPACE.userName },
				};
			case 'users.info':
				return body.user === SLACK_WORKSPACE.userId
					? {
							ok: true,
							user: {
								id: SLACK_WORKSPACE.userId,
								team_id: SLACK_WORKSPACE.teamId,
								name: SLACK_WORKSPACE.userName,
								profile: { email: 'approver@e2e-letta.example' },
							},
						}
					: { ok: false, error: 'user_not_found' };
			case 'chat.postMessage':
				return this.postMessage(body);
			case 'chat.update':
				return this.update(body);
			case 'chat.postEphemeral':
				return this.channel(body.channel)
					? { ok: true, message_ts: this.nextTs() }
					: { ok: false, error: 'channel_not_found' };
			default:
				return { ok: false, error: 'unknown_method' };
		}
	}

	private postMessage(body: Record<string, unknown>): Answer {
		const channel = this.channel(body.channel);
		if (!channel) return { ok: false, error: 'channel_not_found' };
		const blocks = Array.isArray(body.blocks) ? body.blocks : [];
		const fromBlocks = readBlocks(blocks);
		const text = typeof body.text === 'string' && body.text !== '' ? body.text : fromBlocks.text;
		if (text === '' && blocks.length === 0) return { ok: false, error: 'no_text' };
		const ts = this.nextTs();
		this.messages.push({
			channel,
			channelRequested: String(body.channel),
			ts,
			text,
			buttons: fromBlocks.buttons,
			blocks,
			updates: 0,
		});
		return {
			ok: true,
			channel,
			ts,
			message: { type: 'message', user: SLACK_WORKSPACE.userId, text, ts, blocks },
		};
	}

	private update(body: Record<string, unknown>): Answer {
		const channel = this.channel(body.channel);
		if (!channel) return { ok: false, error: 'channel_not_found' };
		const message = this.messages.find((m) => m.channel === channel && m.ts === body.ts);
		if (!message) return { ok: false, error: 'message_not_found' };
		if (Array.isArray(body.blocks)) {
			message.blocks = body.blocks;
			const read = readBlocks(body.blocks);
			message.buttons = read.buttons;
			message.text = read.text;
		}
		if (typeof body.text === 'string' && body.text !== '') message.text = body.text;
		message.updates += 1;
		return { ok: true, channel, ts: message.ts, text: message.text };
	}
}

function sendJson(response: http.ServerResponse, status: number, answer: Answer): void {
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(answer));
}

async function listen(server: http.Server): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return (server.address() as AddressInfo).port;
}

/** Starts the stand-in and its proxy; TLS files are made fresh in `tlsDir`. */
export async function startSlackStandIn(tlsDir: string): Promise<SlackStandIn> {
	const tls = await makeSlackTlsFiles(tlsDir);
	const workspace = new SlackWorkspace();
	const refused: string[] = [];
	const sockets = new Set<Socket>();

	const api = https.createServer({ cert: tls.certificate, key: tls.key }, (request, response) => {
		const url = new URL(request.url ?? '/', `https://${SLACK_API_HOST}`);
		const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
		if (!apiMethod) {
			sendJson(response, 404, { ok: false, error: 'unknown_method' });
			return;
		}
		readBody(request, url)
			.then((body) => {
				const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
				const answer = workspace.answer(apiMethod, token, body);
				workspace.calls.push({
					method: request.method ?? 'GET',
					apiMethod,
					...(answer.ok === false ? { error: String(answer.error) } : {}),
					body,
				});
				sendJson(response, answer.error === 'unknown_method' ? 404 : 200, answer);
			})
			.catch(() => sendJson(response, 200, { ok: false, error: 'invalid_json' }));
	});

	// The proxy: CONNECT slack.com:443 ends here, in the stand-in's TLS server; nothing else passes.
	const proxy = http.createServer((request, response) => {
		refused.push(request.headers.host ?? String(request.url));
		response.writeHead(403, { 'content-type': 'text/plain' });
		response.end('The e2e proxy reaches only the Slack stand-in (https://slack.com).\n');
	});
	proxy.on('connect', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		if (request.url !== `${SLACK_API_HOST}:443`) {
			refused.push(String(request.url));
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		api.emit('connection', socket);
	});
	proxy.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	const port = await listen(proxy);
	const proxyUrl = `http://127.0.0.1:${port}`;
	const noProxy = '127.0.0.1,localhost,::1';

	return {
		proxyUrl,
		environment: {
			HTTPS_PROXY: proxyUrl,
			https_proxy: proxyUrl,
			HTTP_PROXY: proxyUrl,
			http_proxy: proxyUrl,
			NO_PROXY: noProxy,
			no_proxy: noProxy,
			NODE_EXTRA_CA_CERTS: tls.caCertificate,
		},
		messages: () => [...workspace.messages],
		calls: () => [...workspace.calls],
		refused: () => [...refused],
		clear: () => {
			workspace.messages.length = 0;
			workspace.calls.length = 0;
			refused.length = 0;
		},
		stop: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			api.close();
		},
	};
}
