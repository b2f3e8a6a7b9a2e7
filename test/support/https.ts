/** One https request over a real socket, trusting the test CA: what tests post to webhooks. */
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpsAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The body as UTF-8 text. */
	text: string;
	/** Milliseconds from sending to the end of the answer. */
	ms: number;
}

export function httpsSend(
	options: {
		method?: string;
		url: string;
		headers?: Record<string, string>;
		body?: string;
	},
	ca: string,
): Promise<HttpsAnswer> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const req = request(
			options.url,
			{ method: options.method ?? 'GET', headers: options.headers ?? {}, ca: [ca] },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', reject);
				res.on('end', () => {
					const body = Buffer.concat(chunks);
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						text: body.toString('utf8'),
						ms: Date.now() - started,
					});
				});
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

/** POSTs JSON text (or an object, serialised) with an optional Authorization header. */
export async function postJson(
	url: string,
	body: unknown,
	ca: string,
	authorization?: string,
): Promise<HttpsAnswer> {
	return await httpsSend(
		{
			method: 'POST',
			url,
			headers: {
				'content-type': 'application/json',
				...(authorization === undefined ? {} : { authorization }),
			},
			body: typeof body === 'string' ? body : JSON.stringify(body),
		},
		ca,
	);
}
