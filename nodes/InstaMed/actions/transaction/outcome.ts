import type { ConnectResult } from '../../transport/types';

/** InstaMed's rule: success is decided by the transaction status, never by response codes. */
export function isApproved(result: ConnectResult): boolean {
	return result.status.toUpperCase() === 'C';
}

// InstaMed publishes no code for "void too late"; its wording is about the funds transfer
// having started (or the sale being settled), so the message is what we can match.
const FUNDS_TRANSFER_STARTED = /funds?\s+transfer|settle/i;

/** A declined void that InstaMed refused because the money is already moving: refund instead. */
export function fundsTransferStarted(result: ConnectResult): boolean {
	return !isApproved(result) && FUNDS_TRANSFER_STARTED.test(result.responseMessage ?? '');
}
