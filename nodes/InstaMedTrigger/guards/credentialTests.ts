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

/** The node's `methods.credentialTest`, referenced by `testedBy` in its credentials list. */
export const credentialTests = { instaMedBasicApiTest };
