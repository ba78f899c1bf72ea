import { parseIp } from './networks';

/**
 * The network a client counts as for every per-address limit: an IPv4 address on its own
 * (/32), an IPv6 address by its /64, the smallest prefix a single subscriber is normally
 * given. Counting IPv6 per address would hand anyone with one /64 an endless supply of fresh
 * budgets. An address that cannot be read counts as one shared "unknown" network, so it
 * shares one budget instead of escaping them.
 */
export function clientNetwork(address: string | null | undefined): string {
  const ip = address ? parseIp(address.trim()) : null;
  if (!ip) return 'unknown';
  if (ip.version === 4) return `v4:${[...ip.bytes].join('.')}`;
  const hex = [...ip.bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `v6:${hex.match(/.{4}/g)?.join(':')}::/64`;
}
