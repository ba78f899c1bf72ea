import { describe, expect, it } from 'vitest';
import {
  DUE_SOON_DAYS,
  mailboxStatus,
  passwordExpiresAt,
  type TaskSource,
  taskList,
} from '../../worker/domain/mailbox-status';

const DAY = 86_400;
const NOW = 1_780_000_000;
const MAX_AGE = 90;

/** A mailbox whose password expires `days` from NOW (negative: overdue). */
function expiringIn(days: number): number {
  return NOW + days * DAY - MAX_AGE * DAY;
}

function mailbox(overrides: Partial<TaskSource> & { username: string }): TaskSource {
  return {
    mailboxId: `id-${overrides.username}`,
    unitId: 'unit-a',
    displayName: overrides.username,
    passwordChangedAt: expiringIn(60),
    hasPhone: true,
    lockedUntil: null,
    disabled: false,
    ...overrides,
  };
}

describe('mailboxStatus', () => {
  it('is ok while more than 14 days remain', () => {
    expect(mailboxStatus(expiringIn(15), MAX_AGE, NOW)).toBe('ok');
    expect(mailboxStatus(NOW, MAX_AGE, NOW)).toBe('ok');
  });

  it('is due soon within 14 days of the expiry', () => {
    expect(DUE_SOON_DAYS).toBe(14);
    expect(mailboxStatus(expiringIn(14), MAX_AGE, NOW)).toBe('due_soon');
    expect(mailboxStatus(expiringIn(1), MAX_AGE, NOW)).toBe('due_soon');
    expect(mailboxStatus(NOW - MAX_AGE * DAY + 1, MAX_AGE, NOW)).toBe('due_soon');
  });

  it('is overdue from the second the password expires', () => {
    expect(mailboxStatus(NOW - MAX_AGE * DAY, MAX_AGE, NOW)).toBe('overdue');
    expect(mailboxStatus(expiringIn(-30), MAX_AGE, NOW)).toBe('overdue');
  });

  it('follows the configured maximum age', () => {
    expect(mailboxStatus(NOW - 20 * DAY, 30, NOW)).toBe('due_soon');
    expect(mailboxStatus(NOW - 20 * DAY, 180, NOW)).toBe('ok');
    expect(passwordExpiresAt(NOW, 90)).toBe(NOW + 90 * DAY);
  });
});

describe('taskList', () => {
  it('has nothing to do for a mailbox that is fine', () => {
    expect(taskList([mailbox({ username: 'fine' })], MAX_AGE, NOW)).toEqual([]);
  });

  it('lists overdue, locked, due soon and no number, in that order', () => {
    const tasks = taskList(
      [
        mailbox({ username: 'nophone', hasPhone: false }),
        mailbox({ username: 'soon', passwordChangedAt: expiringIn(5) }),
        mailbox({ username: 'locked', lockedUntil: NOW + 600 }),
        mailbox({ username: 'late', passwordChangedAt: expiringIn(-2) }),
      ],
      MAX_AGE,
      NOW,
    );
    expect(tasks.map((t) => [t.kind, t.username])).toEqual([
      ['overdue', 'late'],
      ['locked', 'locked'],
      ['due_soon', 'soon'],
      ['no_phone', 'nophone'],
    ]);
  });

  it('gives the due date for overdue and due soon, the lock end for locked', () => {
    const [overdue, locked] = taskList(
      [mailbox({ username: 'a', passwordChangedAt: expiringIn(-1), lockedUntil: NOW + 60 })],
      MAX_AGE,
      NOW,
    );
    expect(overdue).toMatchObject({ kind: 'overdue', dueAt: NOW - DAY, lockedUntil: null });
    expect(locked).toMatchObject({ kind: 'locked', dueAt: null, lockedUntil: NOW + 60 });
  });

  it('puts the longest overdue first, then the soonest due', () => {
    const tasks = taskList(
      [
        mailbox({ username: 'b', passwordChangedAt: expiringIn(-1) }),
        mailbox({ username: 'a', passwordChangedAt: expiringIn(-40) }),
        mailbox({ username: 'd', passwordChangedAt: expiringIn(10) }),
        mailbox({ username: 'c', passwordChangedAt: expiringIn(2) }),
      ],
      MAX_AGE,
      NOW,
    );
    expect(tasks.map((t) => t.username)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives one mailbox every task that applies to it', () => {
    const tasks = taskList(
      [
        mailbox({
          username: 'all',
          passwordChangedAt: expiringIn(-1),
          lockedUntil: NOW + 60,
          hasPhone: false,
        }),
      ],
      MAX_AGE,
      NOW,
    );
    expect(tasks.map((t) => t.kind)).toEqual(['overdue', 'locked', 'no_phone']);
  });

  it('ignores a lockout that has ended', () => {
    expect(taskList([mailbox({ username: 'x', lockedUntil: NOW })], MAX_AGE, NOW)).toEqual([]);
  });

  it('has no tasks for a disabled mailbox', () => {
    const disabled = mailbox({
      username: 'off',
      disabled: true,
      passwordChangedAt: expiringIn(-5),
      hasPhone: false,
    });
    expect(taskList([disabled], MAX_AGE, NOW)).toEqual([]);
  });

  it('sorts mailboxes without a number by username', () => {
    const tasks = taskList(
      [
        mailbox({ username: 'zeta', hasPhone: false }),
        mailbox({ username: 'alfa', hasPhone: false }),
      ],
      MAX_AGE,
      NOW,
    );
    expect(tasks.map((t) => t.username)).toEqual(['alfa', 'zeta']);
  });
});
