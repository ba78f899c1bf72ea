-- The canonical username typed at a reset's start, whether or not it names a mailbox (a
-- decoy's mailbox_id is NULL). The daily cap on wrong reset codes counts this name, so an
-- unknown name reaches the cap exactly like a real one. NULL for phone challenges and for
-- resets started before this migration (those end within 10 minutes).
ALTER TABLE challenges ADD COLUMN username TEXT;
