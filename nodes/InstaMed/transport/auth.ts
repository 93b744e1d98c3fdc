import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ConnectAccount, Transport } from './types';

export type ConnectAuth = Pick<IHttpRequestOptions, 'headers' | 'auth'>;

/**
 * Each transport's own authentication and nothing else: REST the API key and secret as headers,
 * NVP HTTP Basic with the account ID and password. It is here, not in the credential's
 * `authenticate`, on purpose: with a generic `authenticate` n8n adds "Custom API Call" to this
 * node's operations and offers the keys to the HTTP Request node, and a node that moves money
 * offers only its own operations.
 */
export function connectAuth(transport: Transport, account: ConnectAccount): ConnectAuth {
	if (transport === 'rest') {
		return { headers: { 'Api-Key': account.apiKey, 'Api-Secret': account.apiSecret } };
	}
	return { auth: { username: account.accountId, password: account.password } };
}
