import { describe, expect, it } from 'vitest';
import { isTransientStorageError, isUniqueViolation } from '../../worker/http/errors';

/*
 * Which database failures the API answers with 503 retry_later (send it again in a few
 * seconds) and which stay a 500: a busy or restarted D1 is worth a retry, a bug is not.
 */
describe('isTransientStorageError', () => {
  it.each([
    'D1_ERROR: SQLITE_BUSY: database is locked',
    'D1_ERROR: Network connection lost.',
    'D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.',
    'D1_ERROR: D1 DB reset because its code was updated.',
    'D1_ERROR: D1 DB is overloaded. Requests queued for too long.',
    'D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.',
    'D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.',
  ])('is transient: %s', (message) => {
    expect(isTransientStorageError(new Error(message))).toBe(true);
  });

  it.each([
    'D1_ERROR: UNIQUE constraint failed: mailboxes.username: SQLITE_CONSTRAINT',
    'D1_ERROR: near "SELEC": syntax error: SQLITE_ERROR',
    'D1_ERROR: no such table: mailbox',
    'D1_TYPE_ERROR: Type object is not supported',
    'SQLITE_BUSY without the D1 prefix is not D1 speaking',
    'TypeError: Cannot read properties of undefined',
  ])('is a bug, not a busy moment: %s', (message) => {
    expect(isTransientStorageError(new Error(message))).toBe(false);
  });
});

describe('isUniqueViolation', () => {
  it('is a lost race for a unique value, answered 409', () => {
    expect(
      isUniqueViolation(
        new Error('D1_ERROR: UNIQUE constraint failed: mailboxes.username: SQLITE_CONSTRAINT'),
      ),
    ).toBe(true);
  });

  it.each([
    new Error('D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT'),
    new Error('D1_ERROR: SQLITE_BUSY: database is locked'),
    'UNIQUE constraint failed (a string, not an error)',
    null,
  ])('is something else: %s', (err) => {
    expect(isUniqueViolation(err)).toBe(false);
  });
});
