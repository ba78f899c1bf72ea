/**
 * What the data layer needs of D1: the database, or a session of it (read replication, where a
 * bookmark keeps a person's reads after their own writes). Both answer `prepare` and `batch`.
 */
export type Db = Pick<D1Database, 'prepare' | 'batch'>;
