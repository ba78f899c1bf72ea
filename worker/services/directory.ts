import * as v from 'valibot';
import { nowSeconds } from '../db/clock';
import { directoryInUse } from '../db/connectors';
import { consume } from '../db/counters';
import type { HubResult, JobSecrets } from '../directory/hub';
import { clientNetwork } from '../domain/client-network';
import {
  JOB_WAIT_MS,
  type Operation,
  type OperationArgs,
  Operations,
  type OperationValue,
  REFUSAL_CODES,
} from '../domain/directory-protocol';
import { ApiError, retryError } from '../http/errors';
import type { Deps } from './deps';

/**
 * Connection attempts per client address in 15 minutes. A connector reconnects with a
 * back-off that reaches 30 s, so even one on a flapping link stays well under it; a stranger
 * opening sockets to the hub is held to it.
 */
export const CONNECTS_PER_ADDRESS_PER_15_MIN = 60;

/** 429 with Retry-After once an address has opened too many connector sockets. */
export async function admitConnector(deps: Deps): Promise<void> {
  const [hit] = await consume(
    deps.db,
    [
      {
        key: `connector:address:${clientNetwork(deps.ip)}`,
        max: CONNECTS_PER_ADDRESS_PER_15_MIN,
        windowSeconds: 900,
      },
    ],
    nowSeconds(),
  );
  if (hit) throw retryError('rate_limited', hit.retryAfter);
}

/** The organisation's one hub. */
export function hubOf(env: Env) {
  return env.DIRECTORY_HUB.get(env.DIRECTORY_HUB.idFromName('organisation'));
}

/** How long a client is asked to wait when the directory cannot be reached. */
export const DIRECTORY_RETRY_SECONDS = 15;

export function directoryUnavailable(): ApiError {
  return retryError('directory_unavailable', DIRECTORY_RETRY_SECONDS);
}

export type Refusal = (typeof REFUSAL_CODES)[number];
const REFUSALS = new Set<string>(REFUSAL_CODES);

/** The job did not run (or may not have): nothing changed, try again. */
const OUTAGES = new Set<string>(['offline', 'timeout', 'unavailable', 'expired_job']);

export type JobOutcome<O extends Operation> =
  | { kind: 'ok'; value: OperationValue<O> }
  | { kind: 'refused'; refusal: Refusal };

/**
 * Runs one directory job through the hub and waits at most JOB_WAIT_MS (plus the hop to the
 * hub). An outage throws 503 `directory_unavailable` with Retry-After; a refusal that says the
 * connector or its delegation is wrong throws 502 `directory_refused`, never with a password.
 */
export async function runJob<O extends Operation>(
  deps: Pick<Deps, 'env' | 'timing'>,
  op: O,
  args: Omit<OperationArgs<O>, keyof JobSecrets>,
  secrets: JobSecrets = {},
): Promise<JobOutcome<O>> {
  const { env } = deps;
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), JOB_WAIT_MS + 500);
  });
  let result: HubResult | null;
  try {
    // An RPC result is typed with Disposable mixed in, which hides the union's tag.
    result = (await Promise.race([
      hubOf(env).run(op, args as Record<string, unknown>, secrets),
      deadline,
    ])) as HubResult | null;
  } catch {
    result = null;
  } finally {
    clearTimeout(timer);
    if (deps.timing) deps.timing.directoryMs += Date.now() - started;
  }
  if (result === null) throw directoryUnavailable();
  if (result.ok) {
    const parsed = v.safeParse(Operations[op].value, result.value);
    if (!parsed.success) throw new ApiError('directory_refused', { reason: 'directory_error' });
    return { kind: 'ok', value: parsed.output as OperationValue<O> };
  }
  if (REFUSALS.has(result.error)) return { kind: 'refused', refusal: result.error as Refusal };
  if (OUTAGES.has(result.error)) throw directoryUnavailable();
  throw new ApiError('directory_refused', { reason: result.error });
}

/** `GET /api/health`'s directory: not used at all, or whether a connector is there now. */
export async function directoryState(env: Env): Promise<'local' | 'connected' | 'offline'> {
  if (!(await directoryInUse(env.DB))) return 'local';
  try {
    const connected = await hubOf(env).connected();
    return connected.length > 0 ? 'connected' : 'offline';
  } catch {
    return 'offline';
  }
}

/** A refusal of the domain as the API's own error, for the person who asked. */
export function refusalError(refusal: Refusal): ApiError {
  switch (refusal) {
    case 'wrong_password':
      return new ApiError('invalid_credentials');
    case 'locked':
      return new ApiError('account_locked');
    case 'disabled':
      return new ApiError('account_disabled');
    case 'account_expired':
      return new ApiError('account_expired');
    case 'domain_policy':
      return new ApiError('policy', { violations: ['domain_policy'] });
    case 'domain_reused':
      return new ApiError('policy', { violations: ['reused'] });
    case 'domain_too_recent':
      return new ApiError('policy', { violations: ['too_recent'] });
    case 'must_change':
      // Only a bind answers this, and a bind is not a write.
      return new ApiError('directory_refused', { reason: 'must_change' });
  }
}

/** The domain account of an `ad` mailbox; one without an anchor cannot be acted on. */
export function accountOf(mailbox: { objectGuid: string | null }): string {
  if (!mailbox.objectGuid) throw new ApiError('directory_refused', { reason: 'not_linked' });
  return mailbox.objectGuid;
}

/**
 * Sets a new password in the domain without the old one (a reset, by SMS code or on behalf):
 * replace, then unlock; with `mustChange` the person must choose their own at next logon.
 */
export async function resetInDirectory(
  deps: Pick<Deps, 'env' | 'timing'>,
  mailbox: { objectGuid: string | null },
  newPassword: string,
  mustChange = false,
): Promise<OperationValue<'reset'>> {
  const outcome = await runJob(
    deps,
    'reset',
    { guid: accountOf(mailbox), mustChange },
    { newPassword },
  );
  if (outcome.kind === 'refused') throw refusalError(outcome.refusal);
  return outcome.value;
}

/** Ends the domain's lockout of an account, and nothing else. */
export async function unlockInDirectory(
  deps: Pick<Deps, 'env' | 'timing'>,
  mailbox: { objectGuid: string | null },
) {
  const outcome = await runJob(deps, 'unlock', { guid: accountOf(mailbox) });
  if (outcome.kind === 'refused') throw refusalError(outcome.refusal);
}

/**
 * The domain's lockout threshold bounds Nyckel's own: Nyckel locks after at most
 * threshold − 2 failures, and keeps the lock at least as long as the domain's observation
 * window, so failures through Nyckel alone can never reach the domain's lockout. Without a
 * known policy (no health answer yet) Nyckel's own settings apply; the connector refuses to
 * bind an account near the threshold in any case.
 */
export async function directoryLoginLimits(
  env: Env,
  own: { maxFailures: number; lockSeconds: number },
): Promise<{ maxFailures: number; lockSeconds: number }> {
  let policy: Awaited<ReturnType<ReturnType<typeof hubOf>['policy']>> = null;
  try {
    policy = await hubOf(env).policy();
  } catch {
    policy = null;
  }
  if (!policy || policy.lockoutThreshold === 0) return own;
  return {
    maxFailures: Math.max(1, Math.min(own.maxFailures, policy.lockoutThreshold - 2)),
    // A minute more than the window: the domain's window runs from its last failed bind,
    // which lands after Nyckel counted the attempt.
    lockSeconds: Math.max(own.lockSeconds, Math.ceil(policy.observationWindowSeconds) + 60),
  };
}
