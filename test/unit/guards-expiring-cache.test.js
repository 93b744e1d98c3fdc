const { ExpiringCache } = require('../../nodes/InstaMedTrigger/guards/expiringCache.ts');

describe('ExpiringCache', () => {
	test('an entry disappears at its expiry time', () => {
		let now = 1000;
		const cache = new ExpiringCache(10, () => now);
		cache.set('a', 1, 2000);
		now = 1999;
		expect(cache.get('a')).toBe(1);
		now = 2000;
		expect(cache.get('a')).toBeUndefined();
		expect(cache.size).toBe(0);
	});

	test('already expired values are not stored', () => {
		const cache = new ExpiringCache(10, () => 1000);
		cache.set('a', 1, 1000);
		expect(cache.size).toBe(0);
	});

	test('bounded: the least recently used entry goes first', () => {
		const cache = new ExpiringCache(2, () => 0);
		cache.set('a', 1, 10);
		cache.set('b', 2, 10);
		cache.get('a');
		cache.set('c', 3, 10);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBe(1);
		expect(cache.get('c')).toBe(3);
		for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i, 10);
		expect(cache.size).toBe(2);
	});
});
