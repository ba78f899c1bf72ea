import type { ServicePrincipal } from '../app-env';
import { audit } from '../db/audit';
import { nowSeconds } from '../db/clock';
import { consume } from '../db/counters';
import { clearFailures } from '../db/login-failures';
import { clientNetwork } from '../domain/client-network';
import type { IdentityFields } from '../domain/identity-input';
import { canonicalUserId } from '../domain/identity-rules';
import { ApiError, retryError } from '../http/errors';
import { attemptKey } from './attempts';
import type { Deps } from './deps';
import { checkIdentity, type UpsertResult, upsertIdentity } from './identities';
import { checkCredentials } from './mailbox';

/*
 * What other systems do with a service token: upsert identities one by one or in batches,
 * report a first login, and check a mailbox's credentials with the same throttling and lockout
 * as a login.
 */

export function serviceActor(s: ServicePrincipal): string {
  return `service:${s.tokenId}`;
}

/** A user id from the path or a batch row, or 400. */
export function requireUserId(raw: string): string {
  const userId = canonicalUserId(raw);
  if (!userId) {
    throw new ApiError('invalid_request', {
      issues: [{ path: 'userId', message: 'User id must be 2–32 letters A–Z or digits' }],
    });
  }
  return userId;
}

/**
 * POST /api/integration/identities: each identity on its own (one bad row does not stop the
 * others), with a status per row as the single PUT would have answered it.
 */
export async function upsertBatch(
  deps: Deps,
  identities: (Omit<IdentityFields, 'userId'> & { userId: string })[],
  actor: string,
) {
  const results: {
    userId: string;
    status: number;
    result?: UpsertResult;
    error?: string;
    issues?: { path: string; code?: string; message: string }[];
  }[] = [];
  for (const item of identities) {
    try {
      const userId = requireUserId(item.userId);
      const valid = await checkIdentity(deps, { ...item, userId });
      const result = await upsertIdentity(deps, valid, actor);
      results.push({ userId, status: result.created ? 201 : 200, result });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const issues = err.extra.issues as { path: string; message: string }[] | undefined;
      results.push({
        userId: item.userId,
        status: err.status,
        error: err.code,
        ...(issues ? { issues } : {}),
      });
    }
  }
  return { results };
}

/**
 * POST /api/integration/mailboxes/verify: whether the username and password are right, so a
 * downstream system can use Nyckel as the store of record. Throttled per token and per
 * address, and it counts toward the same per-account lockout as a login, so it is no side
 * door for guessing. A wrong or unknown account answers `{ valid: false }` alike.
 */
export async function verifyMailboxCredentials(
  deps: Deps,
  service: ServicePrincipal,
  username: string,
  password: string,
) {
  const now = nowSeconds();
  const hits = await consume(
    deps.db,
    [
      {
        key: `verify:token:${service.tokenId}`,
        max: deps.cfg.login.perAddressPer15Min,
        windowSeconds: 900,
      },
      {
        key: `login:address:${clientNetwork(deps.ip)}`,
        max: deps.cfg.login.perAddressPer15Min,
        windowSeconds: 900,
      },
    ],
    now,
  );
  const entry = (outcome: 'success' | 'failure' | 'refused', result?: string) =>
    audit(
      deps.db,
      {
        actor: serviceActor(service),
        action: 'mailbox.verify',
        ip: deps.ip,
        outcome,
        ...(result ? { detail: { result } } : {}),
      },
      now,
    );
  if (hits[0]) {
    await entry('refused', 'rate_limited');
    throw retryError('rate_limited', hits[0].retryAfter);
  }
  let result: Awaited<ReturnType<typeof checkCredentials>>;
  try {
    result = await checkCredentials(deps, username, password);
  } catch (err) {
    // An outage of the directory is no attempt at all: it leaves nothing behind.
    if (err instanceof ApiError && err.code !== 'directory_unavailable') {
      await entry('refused', err.code);
    }
    throw err;
  }
  if (!result) {
    await entry('failure');
    return { valid: false };
  }
  await clearFailures(deps.db, attemptKey(deps, username));
  await audit(
    deps.db,
    {
      actor: serviceActor(service),
      action: 'mailbox.verify',
      target: `mailbox:${result.mailbox.id}`,
      ip: deps.ip,
      outcome: 'success',
    },
    now,
  );
  // The password is right but must be changed first (past its due date, or the domain's
  // 773/532): the caller's own sign-in will lead to a change, so it is told.
  return result.mustChange ? { valid: true, mustChange: true } : { valid: true };
}
