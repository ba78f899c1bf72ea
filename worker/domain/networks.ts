// The guide: a mailbox's number is registered from a device outside the municipal network, so
// phone registration is refused from the internal networks. Everything here fails closed,
// because a parsing mistake must never let an internal client through.

export interface Cidr {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

export type NetworkList = { kind: 'ok'; ranges: Cidr[] } | { kind: 'invalid'; entry: string };

interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

// 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255' is the longest textual address.
const MAX_ADDRESS_LENGTH = 45;
const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;
const MAPPED_PREFIX_BITS = 96;

/**
 * Parses a comma-separated CIDR list (IPv4 and IPv6, whitespace around entries allowed, empty
 * list = no internal networks). Any malformed entry makes the whole list invalid (the caller
 * fails closed). A bare address without /prefix is a host route (/32 or /128). Host bits set
 * beyond the prefix are allowed (10.1.2.3/8 means 10.0.0.0/8).
 */
export function parseNetworks(list: string): NetworkList {
  const ranges: Cidr[] = [];
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    // An empty entry (trailing or doubled comma) names no range, so skipping it cannot drop
    // one; a malformed entry might be a mistyped range, and that fails the whole list.
    if (entry === '') continue;
    const range = parseCidr(entry);
    if (!range) return { kind: 'invalid', entry };
    ranges.push(range);
  }
  return { kind: 'ok', ranges };
}

/** Why one entry of the administrator's list is not one network, or null when it is one. */
export type NetworkEntryProblem = 'empty' | 'comma' | 'address' | 'prefix';

/**
 * Judges one entry on its own, so a form can say of every bad line what is wrong with it: a
 * comma (it would smuggle a second entry into the stored list), an address that is not one,
 * or a prefix that is not a number of bits the address has.
 */
export function networkEntryProblem(raw: string): NetworkEntryProblem | null {
  const entry = raw.trim();
  if (entry === '') return 'empty';
  if (entry.includes(',')) return 'comma';
  if (parseCidr(entry)) return null;
  const slash = entry.indexOf('/');
  return slash !== -1 && parseAddress(entry.slice(0, slash)) ? 'prefix' : 'address';
}

/**
 * Whether replacing a list of `before` entries with one of `after` needs the administrator to
 * confirm it: emptying the list, or removing more than half of its entries (6 down to 2 does,
 * 6 down to 3 does not). An empty list means no network counts as internal, so phone
 * registration is allowed from everywhere, the municipal network included.
 */
export function networkCutNeedsConfirmation(before: number, after: number): boolean {
  return before > 0 && (after === 0 || after * 2 < before);
}

/**
 * Parses an IP address: dotted IPv4 (no leading zeros beyond '0', each octet 0-255), IPv6 in
 * every RFC 4291/5952 form incl. '::', embedded IPv4 tail ('::ffff:10.1.2.3'). Zone ids
 * ('fe80::1%eth0') and brackets are refused. IPv4-mapped IPv6 (::ffff:a.b.c.d /
 * ::ffff:0a01:0203) is returned as the IPv4 address.
 */
export function parseIp(address: string): { version: 4 | 6; bytes: Uint8Array } | null {
  const parsed = parseAddress(address);
  if (parsed?.version === 6 && isIpv4Mapped(parsed.bytes)) {
    return { version: 4, bytes: parsed.bytes.slice(12) };
  }
  return parsed;
}

/**
 * True when the address is inside one of the ranges. Fails closed: a missing/empty/unparseable
 * address or an invalid list counts as internal.
 */
export function isInternal(address: string | null | undefined, networks: NetworkList): boolean {
  if (networks.kind !== 'ok') return true;
  if (!address) return true;
  const ip = parseIp(address);
  if (!ip) return true;
  return networks.ranges.some((range) => range.version === ip.version && contains(range, ip.bytes));
}

function parseCidr(entry: string): Cidr | null {
  const slash = entry.indexOf('/');
  const address = parseAddress(slash === -1 ? entry : entry.slice(0, slash));
  if (!address) return null;
  const maxBits = address.bytes.length * 8;
  let prefix = maxBits;
  if (slash !== -1) {
    const text = entry.slice(slash + 1);
    if (!PREFIX.test(text)) return null;
    prefix = Number(text);
    if (prefix > maxBits) return null;
  }
  // A range written in mapped form ('::ffff:10.0.0.0/104') is an IPv4 range: mapped client
  // addresses are compared as IPv4, so keeping it as IPv6 would silently never match.
  if (address.version === 6 && isIpv4Mapped(address.bytes) && prefix >= MAPPED_PREFIX_BITS) {
    const bytes = address.bytes.slice(12);
    const v4Prefix = prefix - MAPPED_PREFIX_BITS;
    return { version: 4, bytes: maskHostBits(bytes, v4Prefix), prefix: v4Prefix };
  }
  return { version: address.version, bytes: maskHostBits(address.bytes, prefix), prefix };
}

function parseAddress(text: string): IpAddress | null {
  if (text.length === 0 || text.length > MAX_ADDRESS_LENGTH) return null;
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes && { version: 6, bytes };
  }
  const bytes = parseIpv4(text);
  return bytes && { version: 4, bytes };
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [index, part] of parts.entries()) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[index] = value;
  }
  return bytes;
}

// Zone ids and brackets need no special case: '%', '[' and ']' are not hex digits.
function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail] = halves;

  let words: number[];
  if (tail === undefined) {
    const all = parseWords(head, true);
    if (all?.length !== 8) return null;
    words = all;
  } else {
    const left = head === '' ? [] : parseWords(head, false);
    const right = tail === '' ? [] : parseWords(tail, true);
    // '::' stands for at least one zero group (RFC 4291 section 2.2).
    if (!left || !right || left.length + right.length > 7) return null;
    const zeros: number[] = new Array(8 - left.length - right.length).fill(0);
    words = [...left, ...zeros, ...right];
  }

  const bytes = new Uint8Array(16);
  for (const [index, word] of words.entries()) {
    bytes[index * 2] = word >> 8;
    bytes[index * 2 + 1] = word & 0xff;
  }
  return bytes;
}

/** Colon-separated 16-bit groups; the last one may be a dotted IPv4 address (two groups). */
function parseWords(text: string, allowIpv4Tail: boolean): number[] | null {
  const groups = text.split(':');
  const words: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (allowIpv4Tail && index === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return null;
      words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!HEX_GROUP.test(group)) return null;
    words.push(Number.parseInt(group, 16));
  }
  return words;
}

// ::ffff:0:0/96 (RFC 4291 section 2.5.5.2).
function isIpv4Mapped(bytes: Uint8Array): boolean {
  if (bytes.length !== 16) return false;
  for (let index = 0; index < 10; index += 1) {
    if (bytes[index] !== 0) return false;
  }
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function maskHostBits(bytes: Uint8Array, prefix: number): Uint8Array {
  const masked = new Uint8Array(bytes.length);
  for (let index = 0; index < bytes.length; index += 1) {
    masked[index] = (bytes[index] ?? 0) & byteMask(prefix, index);
  }
  return masked;
}

function contains(range: Cidr, bytes: Uint8Array): boolean {
  if (range.bytes.length !== bytes.length) return false;
  for (let index = 0; index < bytes.length; index += 1) {
    const mask = byteMask(range.prefix, index);
    if (mask === 0) return true;
    // Masks both sides: a Cidr built elsewhere may still carry host bits.
    if (((bytes[index] ?? 0) & mask) !== ((range.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The network-bit mask of byte `index` under `prefix`. */
function byteMask(prefix: number, index: number): number {
  const bits = Math.min(8, Math.max(0, prefix - index * 8));
  return (0xff << (8 - bits)) & 0xff;
}
