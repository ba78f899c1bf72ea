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

/** Service tokens for other systems (issue 5): shown once, stored hashed, scoped, revocable. */

function view(t: ServiceTokenRow) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: isoFromSeconds(t.createdAt),
    lastUsedAt: t.lastUsedAt === null ? null : isoFromSeconds(t.lastUsedAt),
    revokedAt: t.revokedAt === null ? null : isoFromSeconds(t.revokedAt),
  };
}

export async function serviceTokens(deps: Deps) {
  return (await listServiceTokens(deps.db)).map(view);
}

/** The token itself is in this answer and nowhere else, ever. */
export async function createServiceToken(
  deps: Deps,
  p: PersonPrincipal,
  input: { name: string; scopes: string[] },
) {
  const now = nowSeconds();
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
        detail: { name: input.name, scopes: scopes.join(' ') },
      },
      now,
    ),
  ]);
  const saved = await findServiceToken(deps.db, id);
  if (!saved) throw new ApiError('internal');
  return { ...view(saved), token };
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
