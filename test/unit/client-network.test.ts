import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../../worker/domain/client-network';

describe('the network a client counts as', () => {
  it('is the address itself for IPv4, also when written as IPv4-mapped IPv6', () => {
    expect(clientNetwork('198.51.100.7')).toBe('v4:198.51.100.7');
    expect(clientNetwork('::ffff:198.51.100.7')).toBe('v4:198.51.100.7');
    expect(clientNetwork('198.51.100.8')).not.toBe(clientNetwork('198.51.100.7'));
  });

  it('is the /64 for IPv6: neighbours in one /64 share it, whatever the spelling', () => {
    const a = clientNetwork('2001:db8:1:2:aaaa::1');
    expect(a).toBe('v6:2001:0db8:0001:0002::/64');
    expect(clientNetwork('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(a);
    expect(clientNetwork('2001:0DB8:0001:0002:0:0:0:9')).toBe(a);
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(a);
  });

  it('puts every unreadable or missing address in one shared network', () => {
    for (const bad of [null, undefined, '', ' ', 'not-an-ip', 'fe80::1%eth0', '10.0.0.256']) {
      expect(clientNetwork(bad)).toBe('unknown');
    }
  });
});
