import type { DeduplicationHelperFunctions, ICheckProcessedOptions } from 'n8n-workflow';

import type { ConnectRequest } from '../../transport/types';

export type GuardHelpers = Pick<
	DeduplicationHelperFunctions,
	'checkProcessedAndRecord' | 'removeProcessed'
>;

/** Remembers the voids and refunds already sent, so that a repeat is refused before it is sent. */
export interface RepeatGuard {
	/** Records the key; false when it was already recorded. */
	claim(key: string): Promise<boolean>;
	release(key: string): Promise<void>;
}

// Oldest keys are dropped past this many, so the stored list (one row per workflow) stays small.
export const GUARD_HISTORY_SIZE = 10_000;
const GUARD_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: GUARD_HISTORY_SIZE };

/** Same transaction, same action, same amount: the same money. Ids compare case-insensitively. */
export function guardKey(request: ConnectRequest): string {
	return [
		'instamed',
		request.action,
		request.transactionId.trim().toUpperCase(),
		request.amountCents ?? '',
	].join(':');
}

/**
 * Keeps the keys in n8n's own database (the table behind Remove Duplicates), per workflow, so
 * they survive restarts and are shared by queue-mode workers and by every InstaMed node of the
 * workflow.
 */
export function databaseGuard(helpers: GuardHelpers): RepeatGuard {
	return {
		async claim(key) {
			const { new: fresh } = await helpers.checkProcessedAndRecord(
				[key],
				'workflow',
				GUARD_OPTIONS,
			);
			return fresh.length === 1;
		},
		async release(key) {
			await helpers.removeProcessed([key], 'workflow', GUARD_OPTIONS);
		},
	};
}

export const noGuard: RepeatGuard = {
	claim: async () => true,
	release: async () => {},
};
