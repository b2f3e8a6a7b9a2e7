/** A stand-in for a bot's calling webhook on 127.0.0.1 (plain http): records posts, answers as told. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
}

export interface BotWebhook {
	url: string;
	posts: ReceivedPost[];
	/** The status each post gets (default 202; the legacy format wants 204). */
	answer: (body: Record<string, unknown>) => number;
	close(): Promise<void>;
}

export async function startBotWebhook(): Promise<BotWebhook> {
	const hook: Omit<BotWebhook, 'url' | 'close'> = { posts: [], answer: () => 202 };
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
				string,
				unknown
			>;
			hook.posts.push({ headers: req.headers, body });
			res.statusCode = hook.answer(body);
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return Object.assign(hook, {
		url: `http://127.0.0.1:${port}/api/calls`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	}) as BotWebhook;
}
