import type { Config } from './config';
import type { Principal } from './domain/access';
import type { Language } from './domain/language';

export interface MailboxPrincipal {
  sessionHash: string;
  mailboxId: string;
  username: string;
  /** Signed in with a password the domain wants changed first. */
  mustChange: boolean;
}

/** A signed-in person (manager, delegate, administrator) and their roles, loaded per request. */
export interface PersonPrincipal extends Principal {
  sessionHash: string;
  name: string;
  email: string;
  /** The last strong check (sign-in), unix seconds. */
  verifiedAt: number | null;
}

/** Another system calling /api/integration/* with a service token. */
export interface ServicePrincipal {
  tokenId: string;
  name: string;
  scopes: string[];
}

/** The Hono environment, declared once (STYLE.md habit 2). */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    lang: Language;
    /** CF-Connecting-IP, or null when the edge did not say (fail closed where it matters). */
    clientIp: string | null;
    /** Filled in by the request's use cases; reported as Server-Timing in development. */
    timing: { directoryMs: number };
    mailbox: MailboxPrincipal;
    person: PersonPrincipal;
    service: ServicePrincipal;
  };
}
