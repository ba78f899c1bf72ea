/**
 * Who may do what: people and their roles. Pure: the principal is loaded once per
 * request from D1, and every check is a function of it, so an id guessed from another unit
 * is refused by the same rule everywhere.
 */
export type UnitRole = 'manager' | 'delegate';

export interface Principal {
  personId: string;
  isAdmin: boolean;
  /** unit id → the person's role there */
  roles: ReadonlyMap<string, UnitRole>;
}

/** Sees the unit's mailboxes, acts on them (unlock, reset on behalf), reads its audit trail. */
export function canActOnUnit(p: Principal, unitId: string | null): boolean {
  if (p.isAdmin) return true;
  return unitId !== null && p.roles.has(unitId);
}

/** Invites and revokes the unit's delegates: its managers and administrators only. */
export function canManageDelegates(p: Principal, unitId: string): boolean {
  return p.isAdmin || p.roles.get(unitId) === 'manager';
}

/** Units whose data the person sees: every unit for an administrator. */
export function unitScope(p: Principal): { all: true } | { all: false; unitIds: string[] } {
  return p.isAdmin ? { all: true } : { all: false, unitIds: [...p.roles.keys()] };
}

/** Whether the last strong check (passkey, TOTP, smart card) is recent enough. */
export function isFresh(verifiedAt: number | null, now: number, freshSeconds: number): boolean {
  return verifiedAt !== null && now - verifiedAt <= freshSeconds;
}
