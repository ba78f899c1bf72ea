/**
 * The people API's shapes as the web app reads them (PersonView, MailboxSummary, Task,
 * AuditItem, the identities). Times are ISO 8601 strings.
 */
import type { SupportChannel } from '../../../worker/domain/support';

export type UnitRole = 'manager' | 'delegate';

export interface PersonView {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
  units: { id: string; name: string; role: UnitRole }[];
  method: 'passkey' | 'totp' | 'certificate';
  verifiedAt: string;
  /** Until when a sensitive action needs no new check (STEP_UP_MINUTES after verifiedAt). */
  freshUntil: string;
  expiresAt: string;
}

export type PasswordStatus = 'ok' | 'due_soon' | 'overdue';

export interface MailboxSummary {
  id: string;
  unitId: string;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  passwordChangedAt: string;
  passwordExpiresAt: string;
  status: PasswordStatus;
  locked: boolean;
  lockedUntil: string | null;
  /** Resets by SMS code paused until then (too many wrong codes today); absent from older workers. */
  resetsPausedUntil?: string | null;
  disabled: boolean;
  lastActivityAt: string | null;
  /** The action code of the newest self-service audit entry, e.g. `reset.complete`. */
  lastActivity: string | null;
  unitName?: string;
}

export type TaskKind = 'overdue' | 'locked' | 'due_soon' | 'no_phone';

export interface Task {
  kind: TaskKind;
  mailboxId: string;
  unitId: string;
  username: string;
  displayName: string;
  dueAt: string | null;
  lockedUntil: string | null;
}

export interface OverviewUnit {
  id: string;
  name: string;
  role: UnitRole | 'admin';
  canManageDelegates: boolean;
  mailboxes: MailboxSummary[];
}

export interface Overview {
  tasks: Task[];
  /** Absent from a worker older than the new-hire feature. */
  identityTasks?: IdentityTask[];
  units: OverviewUnit[];
}

export interface AuditItem {
  id: string | number;
  at: string;
  actor: string;
  actorLabel: string;
  action: string;
  target: string | null;
  targetLabel: string | null;
  ip: string | null;
  outcome: 'success' | 'failure' | 'refused';
  detail: Record<string, unknown> | string | null;
}

export interface AuditPage {
  items: AuditItem[];
  next: string | null;
}

export interface UnitPerson {
  id: string;
  name: string;
  email: string;
  role: UnitRole;
  enrolled: boolean;
  invitePending: boolean;
}

export interface UnitDetail {
  id: string;
  name: string;
  role: UnitRole | 'admin';
  canManageDelegates: boolean;
  people: UnitPerson[];
}

/** A new hire's identity as the manager sees it (never the whole personnummer). */
export type IdentityState = 'new' | 'active' | 'ended' | 'inactive';
export type InitialPasswordState = 'none' | 'due' | 'fetched' | 'used' | 'withdrawn';

export interface IdentitySummary {
  id: string;
  userId: string;
  givenName: string;
  familyName: string;
  /** Year and month only: `198506••-••••` */
  personalNumberMasked: string;
  hsaId: string | null;
  unitId: string;
  unitName: string;
  /** A calendar day, `YYYY-MM-DD`. */
  startDate: string;
  started: boolean;
  state: IdentityState;
  initialPassword: InitialPasswordState;
}

export interface IdentityDetail {
  identity: IdentitySummary;
  initialPassword: {
    state: InitialPasswordState;
    createdAt: string | null;
    fetchCount: number;
    lastFetchedAt: string | null;
    firstLoginAt: string | null;
    withdrawnAt: string | null;
    directory: {
      state: 'idm' | 'waiting' | 'pending' | 'written';
      error: string | null;
      writtenAt: string | null;
      triedAt: string | null;
    };
  };
  support: SupportChannel[];
}

export interface FetchedPassword {
  password: string;
  startDate: string;
  usableNow: boolean;
  fetchCount: number;
}

/** An initial password nobody has fetched yet: first in the home's task list. */
export interface IdentityTask {
  kind: 'initial_password';
  identityId: string;
  unitId: string;
  givenName: string;
  familyName: string;
  startDate: string;
  started: boolean;
}
