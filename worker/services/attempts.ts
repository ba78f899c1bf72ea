import type { AttemptKey, AttemptLimits } from '../db/login-failures';
import { clientNetwork } from '../domain/client-network';
import type { Deps } from './deps';

/** Who is signing in, from which network (IPv4 address, IPv6 /64). */
export function attemptKey(deps: Pick<Deps, 'ip'>, subject: string): AttemptKey {
  return { subject, network: clientNetwork(deps.ip) };
}

/** The lockout limits: per network, then the account-wide ceiling with its growing delay. */
export function attemptLimits(login: Deps['cfg']['login']): AttemptLimits {
  return {
    maxFailures: login.maxFailures,
    lockSeconds: login.lockSeconds,
    ceiling: login.accountCeiling,
    windowSeconds: login.accountWindowSeconds,
    baseDelaySeconds: login.accountBaseDelaySeconds,
    maxDelaySeconds: login.accountMaxDelaySeconds,
  };
}
