import { describe, expect, it } from 'vitest';
import {
  canActOnUnit,
  canManageDelegates,
  isFresh,
  type Principal,
  unitScope,
} from '../../worker/domain/access';

const person = (roles: Record<string, 'manager' | 'delegate'>, isAdmin = false): Principal => ({
  personId: 'p',
  isAdmin,
  roles: new Map(Object.entries(roles)),
});

describe('who may do what', () => {
  const manager = person({ a: 'manager' });
  const delegate = person({ a: 'delegate' });
  const admin = person({}, true);

  it('lets managers and delegates act on their own units only', () => {
    expect(canActOnUnit(manager, 'a')).toBe(true);
    expect(canActOnUnit(delegate, 'a')).toBe(true);
    expect(canActOnUnit(manager, 'b')).toBe(false);
    expect(canActOnUnit(delegate, 'b')).toBe(false);
    // A mailbox without a unit belongs to nobody but the administrators.
    expect(canActOnUnit(manager, null)).toBe(false);
    expect(canActOnUnit(admin, null)).toBe(true);
  });

  it('lets only managers of the unit and administrators manage delegates', () => {
    expect(canManageDelegates(manager, 'a')).toBe(true);
    expect(canManageDelegates(delegate, 'a')).toBe(false);
    expect(canManageDelegates(manager, 'b')).toBe(false);
    expect(canManageDelegates(admin, 'b')).toBe(true);
  });

  it('scopes a person to their units and an administrator to all', () => {
    expect(unitScope(person({ a: 'manager', c: 'delegate' }))).toEqual({
      all: false,
      unitIds: ['a', 'c'],
    });
    expect(unitScope(admin)).toEqual({ all: true });
  });

  it('counts a strong check as fresh for exactly the configured time', () => {
    expect(isFresh(1000, 1000 + 600, 600)).toBe(true);
    expect(isFresh(1000, 1000 + 601, 600)).toBe(false);
    expect(isFresh(null, 1000, 600)).toBe(false);
  });
});
