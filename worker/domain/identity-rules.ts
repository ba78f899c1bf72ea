/**
 * The rules of the initial-password guide, pure so they can be tested as a table: who gets an
 * initial password (a new identity, or one back after being ended *and* inactive), and what
 * fetching it shows (the same password every time, from the start date until the first login).
 * An identity moves new → active → ended → inactive; a re-hire comes back as new or active.
 */
export type IdentityState = 'new' | 'active' | 'ended' | 'inactive';

export const IDENTITY_STATES: readonly IdentityState[] = ['new', 'active', 'ended', 'inactive'];

/**
 * Whether an upsert starts a new initial-password cycle: a new hire (new, or active from
 * today or later), or one whose earlier account was ended *and* went inactive and that now
 * comes back. An account that is only ended, or still works, keeps its old password and
 * nobody is e-mailed.
 *
 * Someone the feed reports for the first time as `active` with a start date in the past is
 * existing staff, seen because the feed was just connected: they have a password of their
 * own already, so they are recorded without one and no manager is e-mailed. A first import
 * of a whole region thus sends nothing.
 */
export function initialPasswordReason(
  previous: IdentityState | null,
  next: IdentityState,
  startDate: string,
  today: string,
): 'new' | 'reactivated' | null {
  const working = next === 'new' || next === 'active';
  if (!working) return null;
  if (previous === null) return next === 'active' && startDate < today ? null : 'new';
  if (previous === 'inactive') return 'reactivated';
  return null;
}

/**
 * Whether an update withdraws the open initial password: the employment ended or went
 * inactive before the first login, so nobody should sign in with it.
 */
export function withdrawsInitialPassword(next: IdentityState): boolean {
  return next === 'ended' || next === 'inactive';
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today's date in Sweden, `YYYY-MM-DD`: start dates are Swedish calendar days. */
export function swedishDate(atSeconds: number): string {
  // sv-SE formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(atSeconds * 1000));
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What the fetch screen says about an initial password: fetching shows it, never resets it. */
export type InitialPasswordState = 'none' | 'due' | 'fetched' | 'used' | 'withdrawn';

export function initialPasswordState(
  row: {
    sealed: string | null;
    fetchCount: number;
    firstLoginAt: number | null;
    withdrawnAt: number | null;
  } | null,
): InitialPasswordState {
  if (!row) return 'none';
  if (row.firstLoginAt === null && row.withdrawnAt !== null) return 'withdrawn';
  if (row.firstLoginAt !== null || row.sealed === null) return 'used';
  return row.fetchCount > 0 ? 'fetched' : 'due';
}

/** A user id: the organisation's login id, letters and digits, compared in lower case. */
export function canonicalUserId(text: string): string | null {
  const trimmed = text.trim();
  return /^[A-Za-z0-9]{2,32}$/.test(trimmed) ? trimmed.toLowerCase() : null;
}
