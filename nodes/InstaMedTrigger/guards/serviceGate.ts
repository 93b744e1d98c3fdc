import { WebhookRejection } from '../rejection';
import { tokenValidationBusy, tokenValidationUnavailable } from './tokenRejections';

/** How hard the trigger may press one identity service (one JWKS URL, one introspection client). */
export interface ServiceLimits {
	/** Calls in flight at once; also the burst before the steady rate applies. */
	maxConcurrent: number;
	/** The steady rate once the burst is spent. */
	callsPerSecond: number;
	/** After a failed call the service is left alone this long (503 without calling). */
	backoffMs: number;
}

export const SERVICE_LIMITS: ServiceLimits = {
	maxConcurrent: 10,
	callsPerSecond: 2,
	backoffMs: 10_000,
};

/**
 * Bounds the calls made to one identity service whatever callers send: a token bucket (burst
 * `maxConcurrent`, then `callsPerSecond`), at most `maxConcurrent` in flight, and a pause after a
 * failure. A request that finds no room is answered 503 with Retry-After, which InstaMed retries;
 * the service itself never sees more than the budget.
 */
export class ServiceGate {
	private tokens: number;
	private refilledAt: number;
	private inFlight = 0;
	private failedUntil = 0;

	constructor(
		private readonly now: () => number,
		private readonly limits: ServiceLimits = SERVICE_LIMITS,
	) {
		this.tokens = limits.maxConcurrent;
		this.refilledAt = now();
	}

	/** Runs `call` if the budget allows; a call that fails (network, 5xx, nonsense) starts the pause. */
	async call<T>(call: () => Promise<T>): Promise<T> {
		this.admit();
		this.inFlight++;
		const pending = call();
		// Registered before the caller awaits, so the pause starts before anyone sees the failure.
		pending.catch((error: unknown) => {
			if (isServiceFailure(error)) this.failedUntil = this.now() + this.limits.backoffMs;
		});
		try {
			return await pending;
		} finally {
			this.inFlight--;
		}
	}

	private admit(): void {
		const now = this.now();
		if (now < this.failedUntil) {
			throw tokenValidationUnavailable(secondsUntil(this.failedUntil - now));
		}
		this.refill(now);
		if (this.inFlight >= this.limits.maxConcurrent || this.tokens < 1) {
			// Room comes back within one interval of the steady rate.
			throw tokenValidationBusy(secondsUntil(1000 / this.limits.callsPerSecond));
		}
		this.tokens -= 1;
	}

	private refill(now: number): void {
		const earned = ((now - this.refilledAt) / 1000) * this.limits.callsPerSecond;
		this.tokens = Math.min(this.limits.maxConcurrent, this.tokens + earned);
		this.refilledAt = now;
	}
}

/** A refusal of the token (401) is an answer, not a failure of the service. */
function isServiceFailure(error: unknown): boolean {
	return !(error instanceof WebhookRejection && error.status < 500);
}

function secondsUntil(ms: number): number {
	return Math.max(1, Math.ceil(ms / 1000));
}
