import { createHash } from 'crypto';

import { ExpiringCache } from './expiringCache';
import type { ServiceGate } from './serviceGate';
import { callIdentityService, jsonBody, type TokenHttp } from './tokenHttp';
import { invalidToken, tokenValidationUnavailable } from './tokenRejections';

export interface IntrospectionSettings {
	introspectionUrl: string;
	clientId: string;
	cacheSeconds: number;
}

/** An RFC 7662 answer: `active` plus the token's claims. */
type Introspection = Record<string, unknown> & { active: boolean };

/** What one introspection call decided: the active token's answer, or why the token is refused. */
type Outcome = { active: Introspection } | { refused: string };

/** A refused token stays refused this long without asking again (tokens do not come back to life). */
const REFUSED_TTL_MS = 60 * 1000;

/**
 * RFC 7662 token introspection with caches, so a stream of webhooks bearing the same token costs
 * one round trip. Active and refused tokens are kept apart: a flood of invented tokens fills only
 * the refused cache and cannot push a genuine token out. Concurrent requests with one token share
 * one call. Entries are keyed by a hash, never the token, and an active one ends at its expiry.
 */
export class IntrospectionCache {
	private readonly active: ExpiringCache<Introspection>;
	private readonly refused: ExpiringCache<string>;
	private readonly pending = new Map<string, Promise<Outcome>>();

	constructor(
		private readonly now: () => number,
		maxEntries: number,
	) {
		this.active = new ExpiringCache(maxEntries, now);
		this.refused = new ExpiringCache(maxEntries, now);
	}

	/** The claims of an active, unexpired token; rejects any other. */
	async activeClaims(
		token: string,
		settings: IntrospectionSettings,
		http: TokenHttp,
		gate: ServiceGate,
	): Promise<Record<string, unknown>> {
		const key = `${settings.introspectionUrl} ${settings.clientId} ${sha256Hex(token)}`;
		const known = this.active.get(key);
		const outcome = known ? { active: known } : await this.lookUp(key, token, settings, http, gate);
		if ('refused' in outcome) throw invalidToken(outcome.refused);
		const answer = outcome.active;
		if (typeof answer.exp === 'number' && this.now() >= answer.exp * 1000) {
			throw invalidToken('expired');
		}
		return answer;
	}

	private async lookUp(
		key: string,
		token: string,
		settings: IntrospectionSettings,
		http: TokenHttp,
		gate: ServiceGate,
	): Promise<Outcome> {
		const refusal = this.refused.get(key);
		if (refusal !== undefined) return { refused: refusal };
		let request = this.pending.get(key);
		if (!request) {
			request = gate
				.call(async () => await this.introspect(token, settings, http))
				.then((outcome) => this.remember(key, outcome, settings.cacheSeconds))
				.finally(() => this.pending.delete(key));
			this.pending.set(key, request);
		}
		return await request;
	}

	private async introspect(
		token: string,
		settings: IntrospectionSettings,
		http: TokenHttp,
	): Promise<Outcome> {
		const answer = await callIdentityService(
			async () =>
				await http.postForm(settings.introspectionUrl, { token, token_type_hint: 'access_token' }),
		);
		// RFC 7662 answers 200 for any token; some issuers answer 400 for one they cannot parse.
		if (answer.status === 400) return { refused: 'not introspectable' };
		const body = jsonBody(answer) as { active?: unknown } | undefined;
		if (answer.status !== 200 || typeof body?.active !== 'boolean') {
			throw tokenValidationUnavailable();
		}
		return body.active ? { active: body as Introspection } : { refused: 'inactive' };
	}

	private remember(key: string, outcome: Outcome, cacheSeconds: number): Outcome {
		const now = this.now();
		if ('refused' in outcome) {
			this.refused.set(key, outcome.refused, now + REFUSED_TTL_MS);
			return outcome;
		}
		const configured = now + cacheSeconds * 1000;
		const exp = outcome.active.exp;
		this.active.set(
			key,
			outcome.active,
			typeof exp === 'number' ? Math.min(configured, exp * 1000) : configured,
		);
		return outcome;
	}
}

function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}
