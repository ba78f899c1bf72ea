import { countActionSince } from '../db/audit-query';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { currentCount } from '../db/counters';
import { judgeResetRate } from '../domain/reset-alert';
import { dailyResetLimit } from './challenges';
import type { Deps } from './deps';

/*
 * What the administrator's overview shows besides its menu: a warning when the reset rate is
 * unusual, and null in its place when things are normal, so an ordinary day's page stays calm.
 */

/**
 * The most reset starts counted for the warning. Past this the number only says "at least",
 * and no overview load reads more audit rows than this in a flood.
 */
const STARTS_COUNT_CAP = 10_000;

/**
 * GET /overview. Reset starts are counted from the audit log's `reset.start` entries: every
 * start writes one (moments later, once its text is sent or skipped), for a known name or
 * not, so a flood of made-up names shows too; the hour slides (the reset counters keep fixed
 * hours, per network and per name, with no total); and it is the log the warning links to.
 * The resets' share of the day's SMS is read from its own counter, exactly as a reset start
 * reads it before refusing.
 */
export async function adminOverview(deps: Deps) {
  const now = nowSeconds();
  const threshold = deps.cfg.resets.alertPerHour;
  const share = dailyResetLimit(deps);
  // Always able to count past the threshold, whatever it is set to.
  const cap = Math.max(STARTS_COUNT_CAP, threshold + 1);
  const [starts, shareUsed] = await Promise.all([
    countActionSince(deps.db, 'reset.start', now - 3600, cap),
    currentCount(deps.db, share, now),
  ]);
  const alert = judgeResetRate({
    now,
    startsLastHour: starts,
    startsCapped: starts >= cap,
    threshold,
    shareUsed,
    shareMax: share.max,
    shareWindowSeconds: share.windowSeconds,
  });
  return {
    resetAlert: alert && { ...alert, shareRenewsAt: isoFromSeconds(alert.shareRenewsAt) },
  };
}
