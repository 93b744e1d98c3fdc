import { createHash } from 'crypto';

import { ExpiringCache } from './expiringCache';
import { callIdentityService, type TokenHttp } from './tokenHttp';
import { invalidToken, tokenValidationUnavailable } from './tokenRejections';

export interface IntrospectionSettings {
	introspectionUrl: string;
	clientId: string;
	cacheSeconds: number;
}

/** An RFC 7662 answer: `active` plus the token's claims. */
type Introspection = Record<string, unknown> & { active: boolean };

/**
 * RFC 7662 token introspection with a cache, so a stream of webhooks bearing the same token costs
 * one round trip. Entries are keyed by a hash, never the token, and end at the token's own expiry.
 */
export class IntrospectionCache {
	private readonly answers: ExpiringCache<Introspection>;

	constructor(
		private readonly now: () => number,
		maxEntries: number,
	) {
		this.answers = new ExpiringCache(maxEntries, now);
	}

	/** The claims of an active, unexpired token; rejects any other. */
	async activeClaims(
		token: string,
		settings: IntrospectionSettings,
		http: TokenHttp,
	): Promise<Record<string, unknown>> {
		const key = `${settings.introspectionUrl} ${settings.clientId} ${sha256Hex(token)}`;
		let answer = this.answers.get(key);
		if (!answer) {
			answer = await this.introspect(token, settings, http);
			this.answers.set(key, answer, this.cacheUntil(answer, settings.cacheSeconds));
		}
		if (!answer.active) throw invalidToken('inactive');
		if (typeof answer.exp === 'number' && this.now() >= answer.exp * 1000) {
			throw invalidToken('expired');
		}
		return answer;
	}

	private async introspect(
		token: string,
		settings: IntrospectionSettings,
		http: TokenHttp,
	): Promise<Introspection> {
		const answer = await callIdentityService(
			async () =>
				await http.postForm(settings.introspectionUrl, { token, token_type_hint: 'access_token' }),
		);
		if (typeof (answer as { active?: unknown } | null)?.active !== 'boolean') {
			throw tokenValidationUnavailable();
		}
		return answer as Introspection;
	}

	private cacheUntil(answer: Introspection, cacheSeconds: number): number {
		const configured = this.now() + cacheSeconds * 1000;
		return typeof answer.exp === 'number' ? Math.min(configured, answer.exp * 1000) : configured;
	}
}

function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}
