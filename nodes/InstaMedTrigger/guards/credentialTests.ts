import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

/**
 * InstaMed Basic has nothing remote to call (InstaMed presents these values to us), so its test
 * checks what would make Basic authentication impossible: RFC 7617 forbids ':' in the username.
 */
export async function instaMedBasicApiTest(
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const username = String(credential.data?.username ?? '');
	const password = String(credential.data?.password ?? '');
	if (username.trim() === '') return { status: 'Error', message: 'Enter a username' };
	if (username.includes(':')) {
		return { status: 'Error', message: 'The username must not contain ":" (Basic authentication)' };
	}
	if (password === '') return { status: 'Error', message: 'Enter a password' };
	return { status: 'OK', message: 'Username and password are usable for Basic authentication' };
}

/** The proxy's shared secret is only ever compared with what the proxy sends: check it is usable. */
export async function instaMedProxySecretApiTest(
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = String(credential.data?.secret ?? '');
	if (secret.length < 16) {
		return { status: 'Error', message: 'Enter a secret of at least 16 characters' };
	}
	if (!/^[\x21-\x7e]+$/.test(secret)) {
		return {
			status: 'Error',
			message: 'Use printable ASCII without spaces: the proxy sends the secret as a header value',
		};
	}
	return { status: 'OK', message: 'The secret is usable as a proxy header value' };
}

/** The node's `methods.credentialTest`, referenced by `testedBy` in its credentials list. */
export const credentialTests = { instaMedBasicApiTest, instaMedProxySecretApiTest };
