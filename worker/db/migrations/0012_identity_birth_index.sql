-- A manager types the start of a personnummer, the birth date, and expects everyone born that
-- day. The personnummer is sealed, so the birth date as the number writes it (YYYYMMDD, the
-- day 60 higher in a samordningsnummer) gets its own keyed blind index: HMAC-SHA256 with the
-- identities' index key over "birth-date:YYYYMMDD". Rows written before this migration have
-- NULL here until the scheduled backfill has unsealed their personnummer and filled it in;
-- 'unreadable' marks one whose personnummer could not be unsealed, so the backfill moves on.
ALTER TABLE identities ADD COLUMN birth_index TEXT;
-- Within the searcher's units, as the other searches.
CREATE INDEX identities_unit_birth ON identities (unit_id, birth_index);
-- An administrator searches every unit; the backfill finds the NULL rows through it.
CREATE INDEX identities_birth ON identities (birth_index);
