-- The masked personnummer shows the year and month only (198506••-••••). With the birth day,
-- the check digit that follows from the rest left at most 1,000 candidates for a search to
-- try. Rows written with the older mask (19850612-••••, the day as the number writes it) keep
-- their first six characters, the year and month, and lose the day. The worker remasks on
-- read as well, so a row written between this migration and the deploy is never shown whole.
UPDATE identities
SET pnr_masked = substr(pnr_masked, 1, 6) || '••-••••'
WHERE pnr_masked <> substr(pnr_masked, 1, 6) || '••-••••';

-- A service token may carry an expiry (unix seconds); NULL never expires, as every token made
-- before this migration. An expired token is refused like a revoked one.
ALTER TABLE service_tokens ADD COLUMN expires_at INTEGER;
