/**
 * What the data layer needs of D1: the database, or a session of it (read replication, where a
 * bookmark keeps a person's reads after their own writes). Both answer `prepare` and `batch`.
 */
export type Db = Pick<D1Database, 'prepare' | 'batch'>;

/**
 * A guard that holds when the statement just before it in the batch changed a row: SQLite's
 * changes() counts the last completed INSERT, UPDATE or DELETE on the connection, and a
 * batch runs its statements one after the other in one transaction.
 */
export const PREVIOUS_CHANGED = { sql: 'changes() = 1', params: [] as unknown[] };

/** An SQL condition with its parameters, for statements written only while it holds. */
export interface Guard {
  sql: string;
  params: unknown[];
}

/** The first row of a batch's result, typed, or null. */
export function firstRow<T>(result: D1Result | undefined): T | null {
  return (result?.results[0] as T | undefined) ?? null;
}
