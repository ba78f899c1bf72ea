/** The administrator API's shapes (CONTRACT: "Administrator"); times are ISO 8601 strings. */

export type UnitRole = 'manager' | 'delegate';

export interface AdminUnit {
  id: string;
  name: string;
  mailboxCount: number;
  /** Names of the unit's managers. */
  managers: string[];
}

export interface AdminMailbox {
  id: string;
  unitId: string;
  unitName: string;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  passwordChangedAt: string;
  passwordExpiresAt: string;
  status: 'ok' | 'due_soon' | 'overdue';
  locked: boolean;
  lockedUntil: string | null;
  disabled: boolean;
  lastActivityAt: string | null;
  lastActivity: string | null;
}

export interface CreatedMailbox {
  id: string;
  username: string;
  /** The generated initial password, shown once; null when the administrator typed one. */
  generated: string | null;
}

export interface AdminPerson {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  hsaId: string | null;
  isAdmin: boolean;
  disabled: boolean;
  enrolled: boolean;
  invitePending: boolean;
  roles: { unitId: string; unitName: string; role: UnitRole }[];
}

/** One person (GET /people/{id}), with until when their sign-in with a code is locked. */
export interface AdminPersonDetail extends AdminPerson {
  signInLockedUntil: string | null;
}

/** GET /overview: a warning when the reset rate is unusual, else null. */
export interface AdminOverview {
  resetAlert: {
    startsLastHour: number;
    /** Counting stopped there: at least startsLastHour. */
    startsCapped: boolean;
    threshold: number;
    overThreshold: boolean;
    shareSpent: boolean;
    shareMax: number;
    shareRenewsAt: string;
  } | null;
}

export interface NetworkSettings {
  cidrs: string[];
  /** `settings`: changed here and stored in D1; `default`: the wrangler var. */
  source: 'settings' | 'default';
  defaults: string[];
}

export interface AuditItem {
  id: string;
  at: string;
  actor: string;
  actorLabel: string | null;
  action: string;
  target: string | null;
  targetLabel: string | null;
  ip: string | null;
  outcome: 'success' | 'failure' | 'refused';
  detail: Record<string, string | number | boolean | null> | string | null;
}

export interface AuditPage {
  items: AuditItem[];
  next: string | null;
}
