-- A mailbox session opened with a password the domain wants changed first (773/532): it may
-- read the mailbox and change the password, nothing else, until the change clears it.
ALTER TABLE sessions ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
