import type { Db } from './database';

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

/** Runs the reads in one D1 call and answers each with its own reader, in order. */
export async function readTogether<const R extends readonly Read<unknown>[]>(
  db: Db,
  reads: R,
): Promise<Values<R>> {
  if (reads.length === 0) return [] as Values<R>;
  const results = await db.batch(reads.map((r) => r.statement));
  return reads.map((r, i) => {
    const result = results[i];
    if (!result) throw new Error('D1 answered fewer results than statements');
    return r.read(result);
  }) as Values<R>;
}

/** The first row of a result, or null. */
export function firstRow<T>(result: D1Result): T | null {
  return (result.results[0] as T | undefined) ?? null;
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
