-- A rule-7 mail or a start-date reminder is claimed before it is sent, so two runs at once
-- send it once. Until now the claim was the "sent" column itself: a worker stopped between
-- the claim and the send (the runtime ends waitUntil work 30 s after the answer) left it
-- marked as sent for good. The claim now has its own column, and one older than an hour is
-- taken to belong to a run that died; `notified_at` and `reminded_at` mean "went out".
ALTER TABLE initial_passwords ADD COLUMN notify_claimed_at INTEGER;
ALTER TABLE initial_passwords ADD COLUMN remind_claimed_at INTEGER;
