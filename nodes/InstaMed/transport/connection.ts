import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { ConnectAccount, HttpResponse, HttpSend } from './types';

export const CONNECT_CREDENTIAL = 'instaMedConnectApi';

export async function readConnectAccount(ctx: IExecuteFunctions): Promise<ConnectAccount> {
	const credentials = await ctx.getCredentials(CONNECT_CREDENTIAL);
	const text = (name: string) => String(credentials[name] ?? '');
	return {
		baseUrl: text('baseUrl'),
		apiKey: text('apiKey'),
		apiSecret: text('apiSecret'),
		merchantId: text('merchantId'),
		storeId: text('storeId'),
		terminalId: text('terminalId'),
		accountId: text('accountId'),
		password: text('password'),
	};
}

/** n8n's HTTP helper, bound to the Connect credential (which adds nothing: see auth.ts). */
export function connectHttp(ctx: IExecuteFunctions): HttpSend {
	return async (options: IHttpRequestOptions) =>
		(await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CONNECT_CREDENTIAL,
			options,
		)) as HttpResponse;
}
