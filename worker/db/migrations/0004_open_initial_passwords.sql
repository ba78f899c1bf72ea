-- The due list of an administrator and the scheduled rule-7 mail and reminder look for the
-- few identities whose initial password is still to be fetched or used. Starting from this
-- partial index keeps that a walk over the open rows instead of a scan of every identity
-- (measured with `npm run bench:search` at 100,000 identities). The index it replaces was
-- never chosen by a query.
DROP INDEX IF EXISTS initial_passwords_open;
CREATE INDEX initial_passwords_sealed ON initial_passwords (identity_id) WHERE sealed IS NOT NULL;
