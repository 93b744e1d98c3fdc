import { randomInt, sleep } from 'n8n-workflow';
import type {
	DeduplicationHelperFunctions,
	ICheckProcessedOptions,
	INodeParameters,
} from 'n8n-workflow';

import type { ConnectRequest } from '../../transport/connect';
import { INSTAMED_NODE_TYPE_SUFFIX } from '../notification/identity';

export type GuardHelpers = Pick<
	DeduplicationHelperFunctions,
	'checkProcessedAndRecord' | 'removeProcessed' | 'clearAllProcessedItems'
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

const LOCK_ENTRY = 'instamed-repeat-guard-lock';
const LOCK_OPTIONS: ICheckProcessedOptions = { mode: 'entries' };

export interface LockTiming {
	/** How long a held lock is waited for before it is taken as left by a dead process. */
	waitMs: number;
	/** Pause between tries, with jitter so that waiters do not move in step. */
	pauseMs: () => number;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

// The lock is held for one read and one write of n8n's table (milliseconds); a lock still held
// after this long belongs to a process that died holding it.
export const LOCK_TIMING: LockTiming = {
	waitMs: 15_000,
	pauseMs: () => randomInt(10, 40),
	now: () => Date.now(),
	sleep,
};

/**
 * Runs `critical` while holding this node's lock in n8n's deduplication table.
 *
 * n8n gives nodes no lock, and its checkProcessedAndRecord is a read then a write: two executions
 * on two queue-mode workers can both read "not sent" and both send. One step of it is atomic:
 * the first record of a (workflow, context) pair is an INSERT on the table's primary key
 * (workflowId, context), so of two concurrent first records exactly one succeeds and the other
 * throws (docs/n8n-internals.md, "The deduplication table: the refund guard's records and
 * lock"). This node's own scope ('node') serves as the lock: no
 * row = free; a row holding LOCK_ENTRY = held (recording LOCK_ENTRY again then reports it
 * processed); released by deleting the row. Pinned by the queue-mode e2e test of simultaneous refunds.
 */
export async function underNodeLock<T>(
	helpers: GuardHelpers,
	critical: () => Promise<T>,
	timing: LockTiming = LOCK_TIMING,
): Promise<T> {
	let waitingSince = timing.now();
	for (;;) {
		let acquired = false;
		let failure: unknown;
		try {
			const { new: fresh } = await helpers.checkProcessedAndRecord(
				[LOCK_ENTRY],
				'node',
				LOCK_OPTIONS,
			);
			acquired = fresh.length === 1;
		} catch (error) {
			// Another execution's INSERT came first (or the database failed): not ours, try again.
			failure = error;
		}
		if (acquired) break;
		if (timing.now() - waitingSince > timing.waitMs) {
			if (failure !== undefined) throw failure;
			await helpers.clearAllProcessedItems('node', LOCK_OPTIONS);
			waitingSince = timing.now();
		}
		await timing.sleep(timing.pauseMs());
	}
	try {
		return await critical();
	} finally {
		await helpers.clearAllProcessedItems('node', LOCK_OPTIONS);
	}
}

/**
 * Keeps the keys in n8n's own database (the table behind Remove Duplicates), per workflow, so
 * they survive restarts and are shared by queue-mode workers and by every InstaMed node of the
 * workflow. Each read-and-write of the list happens under the node's lock, so two executions of
 * this node never both find a key missing, and no write drops another's key.
 */
export function databaseGuard(
	helpers: GuardHelpers,
	timing: LockTiming = LOCK_TIMING,
): RepeatGuard {
	return {
		async claim(key) {
			const { new: fresh } = await underNodeLock(
				helpers,
				async () => await helpers.checkProcessedAndRecord([key], 'workflow', GUARD_OPTIONS),
				timing,
			);
			return fresh.length === 1;
		},
		async release(key) {
			await underNodeLock(
				helpers,
				async () => await helpers.removeProcessed([key], 'workflow', GUARD_OPTIONS),
				timing,
			);
		},
	};
}

export const noGuard: RepeatGuard = {
	claim: async () => true,
	release: async () => {},
};

/** A step of the workflow as n8n keeps it (the parts the conflict check reads). */
export interface WorkflowStep {
	name: string;
	type: string;
	typeVersion: number;
	disabled?: boolean;
	parameters: INodeParameters;
}

const REMOVE_DUPLICATES_TYPE = 'n8n-nodes-base.removeDuplicates';
// Remove Duplicates v2's operations that read or write n8n's deduplication table, the only
// ones in n8n-nodes-base that do (docs/n8n-internals.md, "The deduplication table").
const REMOVE_DUPLICATES_STORED = [
	'removeItemsSeenInPreviousExecutions',
	'clearDeduplicationHistory',
];

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** An InstaMed void or refund step with Refuse Repeats on (or set by an expression). */
export function isGuardedTransaction(step: WorkflowStep): boolean {
	const { resource = 'transaction', refuseRepeats = true } = step.parameters;
	return (
		step.type.endsWith(INSTAMED_NODE_TYPE_SUFFIX) &&
		(resource === 'transaction' || isExpression(resource)) &&
		refuseRepeats !== false
	);
}

/** A Remove Duplicates step that may record or clear keys in the workflow-scope row. */
function writesWorkflowScope(step: WorkflowStep): boolean {
	if (step.type !== REMOVE_DUPLICATES_TYPE || step.typeVersion < 2) return false;
	const { operation } = step.parameters;
	const scope = (step.parameters.options as INodeParameters | undefined)?.scope ?? 'node';
	const stores = isExpression(operation) || REMOVE_DUPLICATES_STORED.includes(operation as string);
	return stores && (scope === 'workflow' || isExpression(scope));
}

/**
 * The other enabled steps that write the workflow-scope row of n8n's deduplication table, where
 * this step keeps its list of sent voids and refunds. The lock is this step's own row, so such a
 * step's read-and-write is not under it: another guarded InstaMed step can read "not sent" at the
 * same moment and send the same refund, and a Remove Duplicates step's write (last write wins) or
 * clear erases a record, so a re-delivery is refunded again. In such a workflow the guard cannot
 * keep its promise, so the step refuses to run.
 */
export function guardConflicts(self: WorkflowStep, steps: WorkflowStep[]): string[] {
	return steps
		.filter((step) => step.name !== self.name && step.disabled !== true)
		.filter((step) => isGuardedTransaction(step) || writesWorkflowScope(step))
		.map((step) =>
			isGuardedTransaction(step)
				? `"${step.name}" (another InstaMed void or refund with Refuse Repeats on)`
				: `"${step.name}" (Remove Duplicates keeping its keys in the workflow scope)`,
		);
}
