/**
 * How the connector reaches the directory. It lives in its own module so the configuration
 * loader (config.ts) and the LDAP code (directory.ts) can share it without either importing
 * the other, and so config.ts can be tested without ldapts.
 */
export interface DirectoryConfig {
  /** `ldaps://dc1.kommun.local:636`, or `ldap://…` together with `startTls`. */
  url: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls: boolean;
  /** PEM file with the CA that issued the domain controller's certificate, if not public. */
  caFile?: string;
  /** The service account the connector binds as. */
  bindDn: string;
  bindPassword: string;
  /** The domain's root (`DC=kommun,DC=local`): the password policy is read there. */
  baseDn: string;
  /** The OUs whose accounts Nyckel may touch; anything outside them is refused. */
  ous: string[];
  /** The attribute a username is looked up by, normally sAMAccountName. */
  userAttribute: string;
  /** The limit for one LDAP operation, below the worker's wait for a job's result. */
  timeoutMs: number;
}
