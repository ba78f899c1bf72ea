import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../worker/domain/sealed';

const KEY_1 = btoa('k'.repeat(32));
const KEY_2 = btoa('m'.repeat(32));
const keys = (id: string) => ({
  id,
  keys: new Map([
    ['1', KEY_1],
    ['2', KEY_2],
  ]),
});

describe('sealed secrets (AES-256-GCM)', () => {
  it('opens what it sealed, for the same context', async () => {
    const sealed = await seal('JBSWY3DPEHPK3PXP', 'person-1', keys('1'));
    expect(await unseal(sealed, 'person-1', keys('1'))).toBe('JBSWY3DPEHPK3PXP');
  });

  it('never shows the plaintext and uses a fresh IV every time', async () => {
    const a = await seal('same secret', 'ctx', keys('1'));
    const b = await seal('same secret', 'ctx', keys('1'));
    expect(a).not.toBe(b);
    expect(a).not.toContain('same secret');
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a.startsWith('v1.1.')).toBe(true);
  });

  it('refuses a ciphertext moved to another row (the context is bound as additional data)', async () => {
    const sealed = await seal('secret', 'person-1', keys('1'));
    expect(await unseal(sealed, 'person-2', keys('1'))).toBeNull();
  });

  it('refuses a tampered ciphertext, IV or format', async () => {
    const sealed = await seal('secret', 'ctx', keys('1'));
    const [v, id, iv, ct] = sealed.split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(await unseal([v, id, iv, flip(ct)].join('.'), 'ctx', keys('1'))).toBeNull();
    expect(await unseal([v, id, flip(iv), ct].join('.'), 'ctx', keys('1'))).toBeNull();
    expect(await unseal(['v2', id, iv, ct].join('.'), 'ctx', keys('1'))).toBeNull();
    expect(await unseal(`${sealed}.extra`, 'ctx', keys('1'))).toBeNull();
    expect(await unseal('not sealed at all', 'ctx', keys('1'))).toBeNull();
  });

  it('keeps reading under an earlier key after a rotation, and refuses an unknown key id', async () => {
    const old = await seal('secret', 'ctx', keys('1'));
    expect(await unseal(old, 'ctx', keys('2'))).toBe('secret');
    const fresh = await seal('secret', 'ctx', keys('2'));
    expect(fresh.startsWith('v1.2.')).toBe(true);
    const onlyNew = { id: '2', keys: new Map([['2', KEY_2]]) };
    expect(await unseal(old, 'ctx', onlyNew)).toBeNull();
  });
});
