import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { nowSeconds } from '../db/clock';
import { consume } from '../db/counters';
import { findLiveToken, touchToken } from '../db/service-tokens';
import { clientNetwork } from '../domain/client-network';
import { serviceTokenDigest } from '../domain/service-token';
import { ApiError, retryError } from './errors';

/** Failed token presentations allowed per client address in 15 minutes. */
const FAILURES_PER_ADDRESS = 20;

/**
 * `Authorization: Bearer <token>` from another system (HR intake, credential check): a live
 * token with `scope`, or 401 (no, unknown, revoked or expired token; repeated failures from
 * one address 429)
 * or 403 (a real token without the scope). No cookies and no Origin check: these callers are
 * servers, and a cookie never authorises anything here.
 */
export function serviceToken(scope: string): MiddlewareHandler<AppEnv> {
  return async function serviceToken(c, next) {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header);
    const now = nowSeconds();
    const token = match?.[1]
      ? await findLiveToken(c.get('db'), await serviceTokenDigest(match[1]), now)
      : null;
    if (!token) {
      const hits = await consume(
        c.get('db'),
        [
          {
            key: `service-token:address:${clientNetwork(c.get('clientIp'))}`,
            max: FAILURES_PER_ADDRESS,
            windowSeconds: 900,
          },
        ],
        now,
      );
      if (hits[0]) throw retryError('rate_limited', hits[0].retryAfter);
      throw new ApiError('unauthorized', {}, { 'WWW-Authenticate': 'Bearer' });
    }
    if (!token.scopes.includes(scope)) throw new ApiError('forbidden');
    await touchToken(c.get('db'), token.id, now);
    c.set('service', { tokenId: token.id, name: token.name, scopes: token.scopes });
    await next();
  };
}
