import { describe, expect, it } from 'vitest';
import {
  type IdentityState,
  initialPasswordReason,
  initialPasswordState,
  withdrawsInitialPassword,
} from '../../worker/domain/identity-rules';

const TODAY = '2026-12-06';

describe('who gets an initial password', () => {
  it.each<[IdentityState | null, IdentityState, string, 'new' | 'reactivated' | null]>([
    // A new hire.
    [null, 'new', '2026-12-20', 'new'],
    [null, 'new', '2026-11-01', 'new'],
    [null, 'active', TODAY, 'new'],
    [null, 'active', '2027-01-10', 'new'],
    // Existing staff seen for the first time: they have their own password already.
    [null, 'active', '2026-12-05', null],
    [null, 'active', '2015-03-01', null],
    [null, 'ended', '2026-12-20', null],
    [null, 'inactive', '2026-12-20', null],
    // Back after ended and inactive.
    ['inactive', 'new', '2027-01-10', 'reactivated'],
    ['inactive', 'active', '2015-03-01', 'reactivated'],
    // Still works, or only ended: the old password stands.
    ['ended', 'active', '2015-03-01', null],
    ['active', 'active', '2015-03-01', null],
    ['new', 'active', TODAY, null],
  ])('%s → %s starting %s: %s', (previous, next, start, expected) => {
    expect(initialPasswordReason(previous, next, start, TODAY)).toBe(expected);
  });

  it('withdraws the open password when the employment ends or goes inactive', () => {
    expect(withdrawsInitialPassword('ended')).toBe(true);
    expect(withdrawsInitialPassword('inactive')).toBe(true);
    expect(withdrawsInitialPassword('active')).toBe(false);
    expect(withdrawsInitialPassword('new')).toBe(false);
  });
});

describe('what the page says about an initial password', () => {
  const open = { sealed: 'x', fetchCount: 0, firstLoginAt: null, withdrawnAt: null };
  it.each([
    ['none', null],
    ['due', open],
    ['fetched', { ...open, fetchCount: 2 }],
    ['used', { ...open, sealed: null, firstLoginAt: 1 }],
    ['withdrawn', { ...open, sealed: null, withdrawnAt: 1 }],
  ] as const)('%s', (expected, row) => {
    expect(initialPasswordState(row)).toBe(expected);
  });
});
