-- A new hire's initial password in the domain, and an initial password withdrawn because the
-- employment ended before the first login. Every time is unix seconds.

-- NULL: the organisation keeps no initial passwords in a directory (its IdM sets them).
-- 'pending': to be written on the start date, or being retried (every five minutes).
-- 'written': the domain has it with "must change at next logon"; never written again for this
-- cycle, since a second write after the person chose their own would undo their choice.
ALTER TABLE initial_passwords ADD COLUMN directory TEXT CHECK (directory IN ('pending', 'written'));
-- The account's objectGUID once written: the first-login check asks the domain about it.
ALTER TABLE initial_passwords ADD COLUMN directory_guid TEXT;
ALTER TABLE initial_passwords ADD COLUMN directory_written_at INTEGER;
-- The last attempt and why it failed ('unavailable', 'not_found', 'protected_account', ...).
ALTER TABLE initial_passwords ADD COLUMN directory_tried_at INTEGER;
ALTER TABLE initial_passwords ADD COLUMN directory_error TEXT;
-- A write in progress: one writer per cycle (a lease, in case the writer stopped half-way).
ALTER TABLE initial_passwords ADD COLUMN directory_claimed_at INTEGER;
-- When the first-login check last asked the domain about this account (oldest asked first).
ALTER TABLE initial_passwords ADD COLUMN directory_checked_at INTEGER;
-- The employment ended (or went inactive) before the first login: the copy was deleted.
ALTER TABLE initial_passwords ADD COLUMN withdrawn_at INTEGER;

-- The scheduled directory sync walks only open passwords with something left to do.
CREATE INDEX initial_passwords_directory ON initial_passwords (directory, directory_tried_at)
  WHERE sealed IS NOT NULL AND directory IS NOT NULL;
