import { type Db, firstRow } from './database';

/**
 * A read that can share a D1 call with others: its statement, and what its rows mean. On the
 * edge every D1 call is a round trip to the primary, so reads that do not depend on each
 * other go together in one `db.batch` instead of one call each.
 */
export interface Read<T> {
  statement: D1PreparedStatement;
  read(result: D1Result): T;
}

type Values<R extends readonly Read<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never;
};

/** Several reads as one: their statements in order, and a reader for all their results. */
export interface Reads<T> {
  statements: D1PreparedStatement[];
  read(results: D1Result[]): T;
}

function resultAt(results: D1Result[], i: number): D1Result {
  const result = results[i];
  if (!result) throw new Error('D1 answered fewer results than statements');
  return result;
}

/** The reads as one Reads, answered as a tuple in the same order. */
export function together<const R extends readonly Read<unknown>[]>(reads: R): Reads<Values<R>> {
  return {
    statements: reads.map((r) => r.statement),
    read: (results) => reads.map((r, i) => r.read(resultAt(results, i))) as Values<R>,
  };
}

/** Runs the reads in one D1 call (a batch); nothing at all when there are none. */
export async function runReads<T>(db: Db, reads: Reads<T>): Promise<T> {
  return reads.read(reads.statements.length === 0 ? [] : await db.batch(reads.statements));
}

/** Runs the reads in one D1 call and answers each with its own reader, in order. */
export function readTogether<const R extends readonly Read<unknown>[]>(
  db: Db,
  reads: R,
): Promise<Values<R>> {
  return runReads(db, together(reads));
}

/** A read of one row (or null), mapped. */
export function oneRow<Row, T>(
  statement: D1PreparedStatement,
  map: (row: Row) => T,
): Read<T | null> {
  return {
    statement,
    read: (result) => {
      const row = firstRow<Row>(result);
      return row === null ? null : map(row);
    },
  };
}

/** A read of every row, mapped. */
export function allRows<Row, T>(statement: D1PreparedStatement, map: (row: Row) => T): Read<T[]> {
  return { statement, read: (result) => (result.results as Row[]).map(map) };
}
