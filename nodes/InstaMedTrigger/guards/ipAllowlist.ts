import { WebhookRejection } from '../rejection';

/** InstaMed's most complete published list of the addresses its webhooks come from. */
export const INSTAMED_IP_ADDRESSES: readonly string[] = [
	'216.177.67.4',
	'216.200.100.194',
	'216.200.100.225',
	'216.39.105.164',
	'34.236.206.189',
	'44.206.139.141',
	'44.208.68.62',
	'52.0.168.18',
	'54.205.80.120',
	'54.90.238.169',
	'64.124.41.130',
	'64.124.41.161',
	'67.20.173.212',
	'69.164.118.196',
];

/**
 * A network in IPv6 space. IPv4 lives there as IPv4-mapped addresses (::ffff:a.b.c.d), so an IPv4
 * entry also matches a dual-stack socket's `::ffff:a.b.c.d` and the reverse.
 */
export interface IpRange {
	network: bigint;
	prefixLength: number;
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

/** Parses addresses and CIDR ranges separated by commas, spaces or new lines. */
export function parseIpAllowlist(text: string): IpRange[] {
	return text
		.split(/[\s,]+/)
		.filter((entry) => entry !== '')
		.map(parseIpRange);
}

export function parseIpRange(entry: string): IpRange {
	const [addressText, prefixText, ...rest] = entry.split('/');
	const ipv4 = parseIpv4(addressText);
	const address = ipv4 ?? parseIpv6(addressText);
	const maxPrefix = ipv4 !== undefined ? 32 : 128;
	const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
	const prefixValid = prefixText === undefined || /^\d{1,3}$/.test(prefixText);
	if (address === undefined || rest.length > 0 || !prefixValid || prefix > maxPrefix) {
		throw new Error(`"${entry}" is not an IPv4 or IPv6 address or CIDR range`);
	}
	const prefixLength = prefix + (128 - maxPrefix);
	return { network: address & networkMask(prefixLength), prefixLength };
}

export function isIpAllowed(ip: string | undefined, allowlist: readonly IpRange[]): boolean {
	const address = ip === undefined ? undefined : parseClientAddress(ip);
	return (
		address !== undefined &&
		allowlist.some(({ network, prefixLength }) => (address & networkMask(prefixLength)) === network)
	);
}

/** Refuses callers outside the allowlist; `null` means the allowlist is off. */
export function checkIpAllowed(ip: string | undefined, allowlist: readonly IpRange[] | null): void {
	if (allowlist === null || isIpAllowed(ip, allowlist)) return;
	// Echo the caller's own address only when it parsed, so the reason carries nothing else.
	const shown = ip !== undefined && parseClientAddress(ip) !== undefined ? ` ${stripZone(ip)}` : '';
	throw new WebhookRejection(403, `Address${shown} not allowed`);
}

function parseClientAddress(ip: string): bigint | undefined {
	const address = stripZone(ip);
	return parseIpv4(address) ?? parseIpv6(address);
}

// A link-local peer arrives as fe80::1%eth0; the zone names our interface, not the caller.
function stripZone(ip: string): string {
	return ip.split('%')[0];
}

function networkMask(prefixLength: number): bigint {
	return ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - prefixLength)) - 1n);
}

/** Dotted decimal only, without leading zeros (010 could mean octal to other tools). */
function parseIpv4(text: string): bigint | undefined {
	const octets = text.split('.');
	if (
		octets.length !== 4 ||
		!octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o) && Number(o) < 256)
	) {
		return undefined;
	}
	return IPV4_MAPPED_PREFIX | octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint | undefined {
	const hexText = replaceIpv4Tail(text);
	const halves = hexText?.split('::') ?? [];
	if (halves.length === 0 || halves.length > 2) return undefined;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
		return undefined;
	}
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
	return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/** Rewrites a dotted IPv4 tail (::ffff:1.2.3.4) as the two hex groups it stands for. */
function replaceIpv4Tail(text: string): string | undefined {
	if (!text.includes('.')) return text;
	const lastColon = text.lastIndexOf(':');
	const ipv4 = parseIpv4(text.slice(lastColon + 1));
	if (lastColon < 0 || ipv4 === undefined) return undefined;
	const low = ipv4 & 0xffffffffn;
	return `${text.slice(0, lastColon + 1)}${(low >> 16n).toString(16)}:${(low & 0xffffn).toString(16)}`;
}
