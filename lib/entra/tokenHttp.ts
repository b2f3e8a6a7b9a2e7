import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** One HTTP exchange with the token endpoint, independent of which n8n helper carries it. */
interface TokenHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
}

export interface TokenHttpResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export type TokenHttpSender = (request: TokenHttpRequest) => Promise<TokenHttpResponse>;

/**
 * msal-node's HTTP layer, replaced so that token requests travel through n8n's own request
 * helper (and therefore n8n's proxy and CA settings) instead of msal's private client.
 */
export class TokenNetworkClient implements INetworkModule {
	constructor(private readonly send: TokenHttpSender) {}

	async sendGetRequestAsync<T>(
		url: string,
		options?: NetworkRequestOptions,
	): Promise<NetworkResponse<T>> {
		return await this.exchange<T>({ method: 'GET', url, headers: options?.headers ?? {} });
	}

	async sendPostRequestAsync<T>(
		url: string,
		options?: NetworkRequestOptions,
	): Promise<NetworkResponse<T>> {
		return await this.exchange<T>({
			method: 'POST',
			url,
			headers: options?.headers ?? {},
			body: options?.body,
		});
	}

	private async exchange<T>(request: TokenHttpRequest): Promise<NetworkResponse<T>> {
		if (!request.url.startsWith('https://')) {
			throw new Error(
				`Refusing to contact the token endpoint over plain http: ${new URL(request.url).origin}`,
			);
		}
		const response = await this.send(request);
		let body: unknown;
		try {
			body = response.body ? JSON.parse(response.body) : {};
		} catch {
			body = {
				error: 'invalid_response',
				error_description: `The token endpoint answered HTTP ${response.status} with a body that is not JSON.`,
			};
		}
		return { status: response.status, headers: response.headers, body: body as T };
	}
}
