/**
 * A bounded map whose entries vanish at their own expiry time. When full, the least recently used
 * entry goes first, so a flood of distinct keys (forged tokens) cannot grow memory without limit.
 */
export class ExpiringCache<V> {
	private readonly entries = new Map<string, { value: V; expiresAt: number }>();

	constructor(
		private readonly maxEntries: number,
		private readonly now: () => number,
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.entries.delete(key);
		if (entry.expiresAt <= this.now()) return undefined;
		this.entries.set(key, entry);
		return entry.value;
	}

	set(key: string, value: V, expiresAt: number): void {
		this.entries.delete(key);
		if (expiresAt <= this.now()) return;
		this.entries.set(key, { value, expiresAt });
		while (this.entries.size > this.maxEntries) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}

	get size(): number {
		return this.entries.size;
	}
}
