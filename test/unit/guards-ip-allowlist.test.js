const {
	INSTAMED_IP_ADDRESSES,
	checkIpAllowed,
	isIpAllowed,
	parseIpAllowlist,
} = require('../../nodes/InstaMedTrigger/guards/ipAllowlist.ts');

const rejection = (ip, list) => {
	try {
		checkIpAllowed(ip, list);
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
};

describe('parseIpAllowlist', () => {
	test('comma, space and newline separated entries', () => {
		expect(parseIpAllowlist('1.2.3.4, 10.0.0.0/8\n2001:db8::/32  ::1\n')).toHaveLength(4);
		expect(parseIpAllowlist('  ')).toEqual([]);
	});

	test.each([
		'1.2.3',
		'1.2.3.256',
		'01.2.3.4',
		'1.2.3.4/33',
		'1.2.3.4/',
		'1.2.3.4/8/8',
		'2001:db8::/129',
		'1::2::3',
		'12345::',
		'example.com',
		'1.2.3.4%eth0',
		'::ffff:1.2.3',
	])('invalid entry %p -> configuration error naming it', (entry) => {
		expect(() => parseIpAllowlist(`10.0.0.1, ${entry}`)).toThrow(
			`"${entry}" is not an IPv4 or IPv6 address or CIDR range`,
		);
	});

	test('the InstaMed preset has the 14 published addresses and parses', () => {
		expect(INSTAMED_IP_ADDRESSES).toHaveLength(14);
		const list = parseIpAllowlist(INSTAMED_IP_ADDRESSES.join(','));
		expect(isIpAllowed('34.236.206.189', list)).toBe(true);
		expect(isIpAllowed('::ffff:69.164.118.196', list)).toBe(true);
		expect(isIpAllowed('34.236.206.190', list)).toBe(false);
	});
});

describe('checkIpAllowed', () => {
	const list = parseIpAllowlist(
		'203.0.113.7, 198.51.100.0/24, 2001:db8:abcd::/48, fe80::1, ::ffff:192.0.2.0/120',
	);

	test.each([
		'203.0.113.7',
		'198.51.100.0',
		'198.51.100.255',
		'::ffff:198.51.100.20', // IPv4 on a dual-stack socket
		'::FFFF:203.0.113.7',
		'2001:db8:abcd::1',
		'2001:0db8:abcd:ffff:ffff:ffff:ffff:ffff',
		'fe80:0:0:0:0:0:0:1',
		'fe80::1%eth0',
		'192.0.2.99', // IPv4-mapped CIDR entry covers plain IPv4
	])('%s is allowed', (ip) => {
		expect(() => checkIpAllowed(ip, list)).not.toThrow();
	});

	test.each(['203.0.113.8', '198.51.101.1', '2001:db8:abce::1', '::1', '::ffff:10.0.0.1'])(
		'%s -> 403 naming the caller address',
		(ip) => {
			expect(rejection(ip, list)).toMatchObject({
				status: 403,
				reason: `Address ${ip} not allowed`,
			});
		},
	);

	test('a missing or unparsable address is refused without echoing it', () => {
		expect(rejection(undefined, list)).toMatchObject({
			status: 403,
			reason: 'Address not allowed',
		});
		expect(rejection('evil\r\nX-Injected: 1', list)).toMatchObject({
			status: 403,
			reason: 'Address not allowed',
		});
	});

	test('null list means the allowlist is off', () => {
		expect(() => checkIpAllowed('8.8.8.8', null)).not.toThrow();
	});

	test('an empty custom list refuses everyone', () => {
		expect(rejection('203.0.113.7', [])).toMatchObject({ status: 403 });
	});

	test('0.0.0.0/0 and ::/0 allow every address of their family', () => {
		const everyone = parseIpAllowlist('0.0.0.0/0');
		expect(isIpAllowed('8.8.8.8', everyone)).toBe(true);
		expect(isIpAllowed('2001:db8::1', everyone)).toBe(false);
		expect(isIpAllowed('2001:db8::1', parseIpAllowlist('::/0'))).toBe(true);
	});

	test('a forged X-Forwarded-For does not matter: only the ip given (n8n req.ip) counts', () => {
		// The guard never sees headers. What an attacker can control is the header; req.ip is the
		// socket address unless the operator set N8N_PROXY_HOPS for a proxy in front of n8n.
		const forgedRequest = { ip: '8.8.8.8', headers: { 'x-forwarded-for': '203.0.113.7' } };
		expect(rejection(forgedRequest.ip, list)).toMatchObject({
			status: 403,
			reason: 'Address 8.8.8.8 not allowed',
		});
		expect(checkIpAllowed.length).toBe(2);
	});
});
