-- Every reset start and health check asks whether any mailbox is in `ad` mode; without an
-- index that is a scan of every mailbox while none is.
CREATE INDEX mailboxes_ad ON mailboxes (mode) WHERE mode = 'ad';
