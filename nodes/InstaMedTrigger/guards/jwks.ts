import { ExpiringCache } from './expiringCache';
import { importJwks, type VerificationKey } from './jwt';
import { callIdentityService, type TokenHttp } from './tokenHttp';
import { tokenValidationUnavailable } from './tokenRejections';

const KEY_SET_TTL_MS = 10 * 60 * 1000;
/** An unknown kid refetches the key set (the issuer may have rotated), but not more often than this. */
const REFETCH_INTERVAL_MS = 30 * 1000;

interface KeySet {
	keys: VerificationKey[];
	fetchedAt: number;
}

/** JWKS documents per URL, kept for ten minutes; concurrent requests share one fetch. */
export class JwksCache {
	private readonly keySets: ExpiringCache<KeySet>;
	private readonly pending = new Map<string, Promise<KeySet>>();

	constructor(
		private readonly now: () => number,
		maxEntries: number,
	) {
		this.keySets = new ExpiringCache(maxEntries, now);
	}

	async keysFor(url: string, kid: string | undefined, http: TokenHttp): Promise<VerificationKey[]> {
		let keySet = this.keySets.get(url) ?? (await this.fetch(url, http));
		const kidUnknown = kid !== undefined && !keySet.keys.some((key) => key.kid === kid);
		if (kidUnknown && this.now() - keySet.fetchedAt >= REFETCH_INTERVAL_MS) {
			keySet = await this.fetch(url, http);
		}
		return keySet.keys;
	}

	private async fetch(url: string, http: TokenHttp): Promise<KeySet> {
		let request = this.pending.get(url);
		if (!request) {
			request = this.download(url, http).finally(() => this.pending.delete(url));
			this.pending.set(url, request);
		}
		return await request;
	}

	private async download(url: string, http: TokenHttp): Promise<KeySet> {
		const keys = importJwks(await callIdentityService(async () => await http.getJson(url)));
		if (!keys) throw tokenValidationUnavailable();
		const keySet = { keys, fetchedAt: this.now() };
		this.keySets.set(url, keySet, keySet.fetchedAt + KEY_SET_TTL_MS);
		return keySet;
	}
}
