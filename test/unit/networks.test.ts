import { describe, expect, it } from 'vitest';
import { isInternal, type NetworkList, parseIp, parseNetworks } from '../../worker/domain/networks';

function networks(list: string): NetworkList {
  const parsed = parseNetworks(list);
  if (parsed.kind !== 'ok') throw new Error(`test list is invalid: ${parsed.entry}`);
  return parsed;
}

function bytesOf(address: string): number[] | null {
  const parsed = parseIp(address);
  return parsed && Array.from(parsed.bytes);
}

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['10.1.2.3', [10, 1, 2, 3]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.168.0.10', [192, 168, 0, 10]],
  ])('reads the IPv4 address %s', (address, bytes) => {
    expect(parseIp(address)).toEqual({ version: 4, bytes: new Uint8Array(bytes) });
  });

  const documentationHost = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  it.each([
    ['2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['2001:DB8::1'],
    ['2001:db8:0:0:0:0:0:1'],
    ['2001:db8::0:1'],
    ['2001:db8:0::1'],
  ])('reads the IPv6 form %s', (address) => {
    expect(parseIp(address)).toEqual({ version: 6, bytes: new Uint8Array(documentationHost) });
  });

  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::', [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7::', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]],
    ['::2:3:4:5:6:7:8', [0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['1:2:3:4:5:6:1.2.3.4', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]],
    ['64:ff9b::10.1.2.3', [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 2, 3]],
    ['::10.1.2.3', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 2, 3]],
  ])('reads the IPv6 address %s', (address, bytes) => {
    expect(bytesOf(address)).toEqual(bytes);
  });

  it.each([
    ['::ffff:10.1.2.3'],
    ['::ffff:0a01:0203'],
    ['::FFFF:a01:203'],
    ['0:0:0:0:0:ffff:10.1.2.3'],
  ])('returns the IPv4-mapped address %s as IPv4', (address) => {
    expect(parseIp(address)).toEqual({ version: 4, bytes: new Uint8Array([10, 1, 2, 3]) });
  });

  it.each([
    [''],
    [' 10.1.2.3'],
    ['1.2.3'],
    ['01.2.3.4'],
    ['1.2.3.04'],
    ['1.2.3.4.5'],
    ['256.1.1.1'],
    ['1.2.3.-4'],
    ['1.2.3.4/32'],
    ['0x0a.1.2.3'],
    ['1.2.3.4:80'],
    [':::'],
    ['::::'],
    [':1::'],
    ['1::2::3'],
    ['1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7:8:9'],
    ['1:2:3:4:5:6:7:8::'],
    ['::1:2:3:4:5:6:7:8'],
    ['fe80::1%eth0'],
    ['[::1]'],
    ['12345::'],
    ['g::1'],
    ['1.2.3.4::'],
    ['::1.2.3'],
    ['::ffff:01.2.3.4'],
    ['1:2:3:4:5:6:7:1.2.3.4'],
    ['nonsense'],
  ])('refuses the malformed address %j', (address) => {
    expect(parseIp(address)).toBeNull();
  });
});

describe('parseNetworks', () => {
  it.each([[''], ['   '], [','], [' , ']])('reads %j as no internal networks', (list) => {
    expect(parseNetworks(list)).toEqual({ kind: 'ok', ranges: [] });
  });

  it('reads IPv4 and IPv6 ranges with whitespace around entries', () => {
    expect(parseNetworks(' 10.0.0.0/8 ,\tfd00::/8 ')).toEqual({
      kind: 'ok',
      ranges: [
        { version: 4, bytes: new Uint8Array([10, 0, 0, 0]), prefix: 8 },
        { version: 6, bytes: new Uint8Array([0xfd, ...new Array(15).fill(0)]), prefix: 8 },
      ],
    });
  });

  it.each([
    ['10.1.2.3', 4, [10, 1, 2, 3], 32],
    ['2001:db8::1', 6, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128],
    ['::ffff:10.1.2.3', 4, [10, 1, 2, 3], 32],
  ])('reads the bare address %s as a host route', (list, version, bytes, prefix) => {
    expect(parseNetworks(list)).toEqual({
      kind: 'ok',
      ranges: [{ version, bytes: new Uint8Array(bytes), prefix }],
    });
  });

  it.each([
    ['10.1.2.3/8', 4, [10, 0, 0, 0], 8],
    ['172.31.2.3/12', 4, [172, 16, 0, 0], 12],
    [
      '2001:db8:aaaa:1::1/48',
      6,
      [0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xaa, ...new Array(10).fill(0)],
      48,
    ],
    ['::ffff:10.1.2.3/104', 4, [10, 0, 0, 0], 8],
  ])('clears host bits in %s', (list, version, bytes, prefix) => {
    expect(parseNetworks(list)).toEqual({
      kind: 'ok',
      ranges: [{ version, bytes: new Uint8Array(bytes), prefix }],
    });
  });

  it('ignores empty entries between and after commas', () => {
    const parsed = parseNetworks('10.0.0.0/8,,172.16.0.0/12,');
    expect(parsed.kind === 'ok' && parsed.ranges.map((range) => range.prefix)).toEqual([8, 12]);
  });

  it.each([
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['10.0.0.0/-1', '10.0.0.0/-1'],
    ['10.0.0.0/abc', '10.0.0.0/abc'],
    ['10.0.0.0/', '10.0.0.0/'],
    ['10.0.0.0/08', '10.0.0.0/08'],
    ['10.0.0.0/8/8', '10.0.0.0/8/8'],
    ['10.0.0.0 /8', '10.0.0.0 /8'],
    ['/8', '/8'],
    ['10.0.0/8', '10.0.0/8'],
    ['300.1.1.1/8', '300.1.1.1/8'],
    ['fd00::/129', 'fd00::/129'],
    ['fe80::1%eth0/64', 'fe80::1%eth0/64'],
    ['[fd00::]/8', '[fd00::]/8'],
    ['nonsense', 'nonsense'],
    ['10.0.0.0/8, nonsense ,fd00::/8', 'nonsense'],
    ['10.0.0.0/8;192.168.0.0/16', '10.0.0.0/8;192.168.0.0/16'],
  ])('makes the whole list %j invalid', (list, entry) => {
    expect(parseNetworks(list)).toEqual({ kind: 'invalid', entry });
  });
});

describe('isInternal', () => {
  const ipv4 = networks('10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,203.0.113.7');
  it.each([
    ['10.0.0.0', true],
    ['10.1.2.3', true],
    ['10.255.255.255', true],
    ['9.255.255.255', false],
    ['11.0.0.0', false],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['172.15.255.255', false],
    ['172.32.0.0', false],
    ['192.168.1.1', true],
    ['192.169.0.0', false],
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['8.8.8.8', false],
    ['::ffff:10.1.2.3', true],
    ['::ffff:0a01:0203', true],
    ['::ffff:8.8.8.8', false],
    // IPv4-compatible and NAT64 forms are IPv6 addresses, not the IPv4 one they embed.
    ['::10.1.2.3', false],
    ['64:ff9b::10.1.2.3', false],
    ['2001:db8::1', false],
  ])('with IPv4 ranges, %s is internal: %s', (address, expected) => {
    expect(isInternal(address, ipv4)).toBe(expected);
  });

  const ipv6 = networks('fd00::/8,2001:db8:aaaa::/48,2001:db8:1::/127,::1');
  it.each([
    ['fd00::1', true],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['fc00::1', false],
    ['fe00::', false],
    ['2001:db8:aaaa::', true],
    ['2001:db8:aaaa:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:DB8:AAAA:1::1', true],
    ['2001:0db8:aaaa:0000:0000:0000:0000:0001', true],
    ['2001:db8:aaab::', false],
    ['2001:db8:aaa9:ffff:ffff:ffff:ffff:ffff', false],
    ['2001:db8:1::', true],
    ['2001:db8:1::1', true],
    ['2001:db8:1::2', false],
    ['::1', true],
    ['::2', false],
    ['::', false],
    ['10.1.2.3', false],
    ['::ffff:10.1.2.3', false],
  ])('with IPv6 ranges, %s is internal: %s', (address, expected) => {
    expect(isInternal(address, ipv6)).toBe(expected);
  });

  it.each([
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['::ffff:1.2.3.4', true],
    ['::1', false],
  ])('with 0.0.0.0/0, %s is internal: %s', (address, expected) => {
    expect(isInternal(address, networks('0.0.0.0/0'))).toBe(expected);
  });

  it.each([
    ['::', true],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['1.2.3.4', false],
  ])('with ::/0, %s is internal: %s', (address, expected) => {
    expect(isInternal(address, networks('::/0'))).toBe(expected);
  });

  it.each([
    ['192.0.2.1', true],
    ['192.0.2.0', false],
    ['192.0.2.2', false],
  ])('with a /32 host route, %s is internal: %s', (address, expected) => {
    expect(isInternal(address, networks('192.0.2.1/32'))).toBe(expected);
  });

  it('with no internal networks, still fails closed on a missing address', () => {
    expect(isInternal('8.8.8.8', networks(''))).toBe(false);
    expect(isInternal(null, networks(''))).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['unparseable', 'nonsense'],
    ['a list of addresses', '8.8.8.8, 10.0.0.1'],
    ['with a zone id', 'fe80::1%eth0'],
    ['in brackets', '[2001:db8::1]'],
    ['with leading zeros', '08.8.8.8'],
  ])('fails closed on an address that is %s', (_case, address) => {
    expect(isInternal(address, ipv4)).toBe(true);
  });

  it.each([['10.0.0.0/33'], ['nonsense'], ['8.8.8.0/24,fd00::/129']])(
    'fails closed for every address when the list %j is invalid',
    (list) => {
      const invalid = parseNetworks(list);
      expect(invalid.kind).toBe('invalid');
      expect(isInternal('8.8.8.8', invalid)).toBe(true);
      expect(isInternal('2001:db8::1', invalid)).toBe(true);
    },
  );
});
