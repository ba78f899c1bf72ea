import type { PersonPrincipal } from '../app-env';
import { auditStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import {
  findServiceToken,
  insertServiceTokenStatement,
  listServiceTokens,
  revokeServiceTokenStatement,
  type ServiceTokenRow,
} from '../db/service-tokens';
import { newServiceToken, serviceTokenDigest } from '../domain/service-token';
import { newId } from '../domain/tokens';
import { ApiError } from '../http/errors';
import type { Deps } from './deps';

/**
 * Service tokens for other systems: shown once, stored hashed, scoped, revocable, and with an
 * optional expiry, so a token handed to a system that is later forgotten stops by itself.
 */

const DAY = 86_400;
/** The longest life a token may be given: two years, a typical integration contract's term. */
export const MAX_TOKEN_DAYS = 730;
/** A live token this close to its expiry is flagged in Administration, to be replaced in time. */
export const EXPIRY_WARNING_DAYS = 30;

function view(t: ServiceTokenRow, now: number) {
  const expired = t.expiresAt !== null && t.expiresAt <= now;
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: isoFromSeconds(t.createdAt),
    lastUsedAt: t.lastUsedAt === null ? null : isoFromSeconds(t.lastUsedAt),
    revokedAt: t.revokedAt === null ? null : isoFromSeconds(t.revokedAt),
    expiresAt: t.expiresAt === null ? null : isoFromSeconds(t.expiresAt),
    expired,
    expiresSoon:
      t.revokedAt === null &&
      !expired &&
      t.expiresAt !== null &&
      t.expiresAt - now <= EXPIRY_WARNING_DAYS * DAY,
  };
}

/** Every token; those that expire within EXPIRY_WARNING_DAYS first, soonest first. */
export async function serviceTokens(deps: Deps) {
  const now = nowSeconds();
  const views = (await listServiceTokens(deps.db)).map((t) => view(t, now));
  const soon = views
    .filter((t) => t.expiresSoon)
    .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
  return [...soon, ...views.filter((t) => !t.expiresSoon)];
}

/** An expiry in the future and at most MAX_TOKEN_DAYS away, as unix seconds; or 400. */
function expiryOf(raw: string | undefined, now: number): number | null {
  if (raw === undefined) return null;
  const at = Math.floor(Date.parse(raw) / 1000);
  const problem = !Number.isFinite(at)
    ? 'expiresAt must be a date and time'
    : at <= now
      ? 'expiresAt must be in the future'
      : at > now + MAX_TOKEN_DAYS * DAY
        ? `expiresAt must be at most ${MAX_TOKEN_DAYS} days away`
        : null;
  if (problem)
    throw new ApiError('invalid_request', { issues: [{ path: 'expiresAt', message: problem }] });
  return at;
}

/** The token itself is in this answer and nowhere else, ever. */
export async function createServiceToken(
  deps: Deps,
  p: PersonPrincipal,
  input: { name: string; scopes: string[]; expiresAt?: string | undefined },
) {
  const now = nowSeconds();
  const expiresAt = expiryOf(input.expiresAt, now);
  const token = newServiceToken();
  const id = newId();
  const scopes = [...new Set(input.scopes)].sort();
  await deps.db.batch([
    insertServiceTokenStatement(
      deps.db,
      {
        id,
        name: input.name,
        tokenHash: await serviceTokenDigest(token),
        scopes,
        createdBy: `person:${p.personId}`,
        expiresAt,
      },
      now,
    ),
    auditStatement(
      deps.db,
      {
        actor: `person:${p.personId}`,
        action: 'service_token.create',
        target: `service_token:${id}`,
        ip: deps.ip,
        outcome: 'success',
        detail: {
          name: input.name,
          scopes: scopes.join(' '),
          expiresAt: expiresAt === null ? null : isoFromSeconds(expiresAt),
        },
      },
      now,
    ),
  ]);
  const saved = await findServiceToken(deps.db, id);
  if (!saved) throw new ApiError('internal');
  return { ...view(saved, now), token };
}

/** Revoked at once: the next request with it is 401. An unknown or revoked token is 404. */
export async function revokeServiceToken(deps: Deps, p: PersonPrincipal, id: string) {
  const now = nowSeconds();
  const token = await findServiceToken(deps.db, id);
  if (!token || token.revokedAt !== null) throw new ApiError('not_found');
  await deps.db.batch([
    revokeServiceTokenStatement(deps.db, id, now),
    auditStatement(
      deps.db,
      {
        actor: `person:${p.personId}`,
        action: 'service_token.revoke',
        target: `service_token:${id}`,
        ip: deps.ip,
        outcome: 'success',
        detail: { name: token.name },
      },
      now,
    ),
  ]);
}
