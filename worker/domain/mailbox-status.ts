/**
 * Where a mailbox stands against the 3-month rule, and the manager's task list (tasks
 * first, then every mailbox). Pure; times are unix seconds.
 */

export type MailboxStatus = 'ok' | 'due_soon' | 'overdue';

/** "Passwords due within 14 days" on the manager's home, the first rotation reminder too. */
export const DUE_SOON_DAYS = 14;

const DAY = 86_400;

export function passwordExpiresAt(passwordChangedAt: number, maxAgeDays: number): number {
  return passwordChangedAt + maxAgeDays * DAY;
}

/** Overdue from the moment it expires; due soon within DUE_SOON_DAYS before that. */
export function mailboxStatus(
  passwordChangedAt: number,
  maxAgeDays: number,
  now: number,
): MailboxStatus {
  const expiresAt = passwordExpiresAt(passwordChangedAt, maxAgeDays);
  if (now >= expiresAt) return 'overdue';
  if (expiresAt - now <= DUE_SOON_DAYS * DAY) return 'due_soon';
  return 'ok';
}

export type TaskKind = 'overdue' | 'locked' | 'due_soon' | 'no_phone';

/** The order the manager's home lists them in: the most urgent kind first. */
export const TASK_ORDER: readonly TaskKind[] = ['overdue', 'locked', 'due_soon', 'no_phone'];

export interface TaskSource {
  mailboxId: string;
  unitId: string;
  username: string;
  displayName: string;
  passwordChangedAt: number;
  hasPhone: boolean;
  /** The end of a login lockout still in force, or null. */
  lockedUntil: number | null;
  disabled: boolean;
}

export interface Task {
  kind: TaskKind;
  mailboxId: string;
  unitId: string;
  username: string;
  displayName: string;
  /** The password's expiry for overdue and due_soon; null for the other kinds. */
  dueAt: number | null;
  lockedUntil: number | null;
}

/**
 * Every task of the given mailboxes: a mailbox can have several (overdue and without a
 * number). Disabled mailboxes have none: nobody can use them. Sorted by kind (TASK_ORDER),
 * then by due date (the longest overdue first), then by lock end, then by username.
 */
export function taskList(mailboxes: readonly TaskSource[], maxAgeDays: number, now: number) {
  const tasks: Task[] = [];
  for (const m of mailboxes) {
    if (m.disabled) continue;
    const base = {
      mailboxId: m.mailboxId,
      unitId: m.unitId,
      username: m.username,
      displayName: m.displayName,
    };
    const status = mailboxStatus(m.passwordChangedAt, maxAgeDays, now);
    const dueAt = passwordExpiresAt(m.passwordChangedAt, maxAgeDays);
    if (status !== 'ok') tasks.push({ ...base, kind: status, dueAt, lockedUntil: null });
    if (m.lockedUntil !== null && m.lockedUntil > now) {
      tasks.push({ ...base, kind: 'locked', dueAt: null, lockedUntil: m.lockedUntil });
    }
    if (!m.hasPhone) tasks.push({ ...base, kind: 'no_phone', dueAt: null, lockedUntil: null });
  }
  return tasks.sort(compareTasks);
}

function compareNullable(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

export function compareTasks(a: Task, b: Task): number {
  return (
    TASK_ORDER.indexOf(a.kind) - TASK_ORDER.indexOf(b.kind) ||
    compareNullable(a.dueAt, b.dueAt) ||
    compareNullable(a.lockedUntil, b.lockedUntil) ||
    (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)
  );
}
