-- Login and TOTP sign-in attempts are counted before they are checked, so parallel guesses
-- cannot outrun the lockout. `checking` is how many counted attempts have not reported back
-- yet: a limit reached while some are still being checked may be several people signing in
-- to one shared mailbox at once, and is answered "try again in a moment" instead of a lock.
ALTER TABLE login_failures ADD COLUMN checking INTEGER NOT NULL DEFAULT 0;
