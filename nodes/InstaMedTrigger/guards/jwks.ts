import { ExpiringCache } from './expiringCache';
import { importJwks, type VerificationKey } from './jwt';
import type { ServiceGate } from './serviceGate';
import { callIdentityService, jsonBody, type TokenHttp } from './tokenHttp';
import { tokenValidationUnavailable } from './tokenRejections';

const KEY_SET_TTL_MS = 10 * 60 * 1000;
/** An unknown kid refetches the key set (the issuer may have rotated), but not more often than this. */
const REFETCH_INTERVAL_MS = 30 * 1000;

interface KeySet {
	keys: VerificationKey[];
	/** When an unknown kid may next refetch; moved on each attempt, whether it succeeds or not. */
	refetchAfter: number;
}

/**
 * JWKS documents per URL, kept for ten minutes; concurrent requests share one fetch, and the
 * service gate keeps a failing URL from being fetched for every token that arrives.
 */
export class JwksCache {
	private readonly keySets: ExpiringCache<KeySet>;
	private readonly pending = new Map<string, Promise<KeySet>>();

	constructor(
		private readonly now: () => number,
		maxEntries: number,
	) {
		this.keySets = new ExpiringCache(maxEntries, now);
	}

	async keysFor(
		url: string,
		kid: string | undefined,
		http: TokenHttp,
		gate: ServiceGate,
	): Promise<VerificationKey[]> {
		const keySet = this.keySets.get(url);
		if (!keySet) return (await this.fetch(url, http, gate)).keys;
		const kidUnknown = kid !== undefined && !keySet.keys.some((key) => key.kid === kid);
		if (kidUnknown && this.now() >= keySet.refetchAfter) {
			keySet.refetchAfter = this.now() + REFETCH_INTERVAL_MS;
			return (await this.fetch(url, http, gate)).keys;
		}
		return keySet.keys;
	}

	private async fetch(url: string, http: TokenHttp, gate: ServiceGate): Promise<KeySet> {
		let request = this.pending.get(url);
		if (!request) {
			request = gate
				.call(async () => await this.download(url, http))
				.finally(() => this.pending.delete(url));
			this.pending.set(url, request);
		}
		return await request;
	}

	private async download(url: string, http: TokenHttp): Promise<KeySet> {
		const answer = await callIdentityService(async () => await http.getJson(url));
		const keys = answer.status === 200 ? importJwks(jsonBody(answer)) : undefined;
		if (!keys) throw tokenValidationUnavailable();
		const now = this.now();
		const keySet = { keys, refetchAfter: now + REFETCH_INTERVAL_MS };
		this.keySets.set(url, keySet, now + KEY_SET_TTL_MS);
		return keySet;
	}
}
