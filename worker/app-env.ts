import type { Config } from './config';
import type { Language } from './domain/language';

export interface MailboxPrincipal {
  sessionHash: string;
  mailboxId: string;
  username: string;
}

/** The Hono environment, declared once (STYLE.md habit 2). */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    lang: Language;
    /** CF-Connecting-IP, or null when the edge did not say (fail closed where it matters). */
    clientIp: string | null;
    mailbox: MailboxPrincipal;
  };
}
