/**
 * Whether the rate of anonymous reset starts is unusual enough for the administration page to
 * say so. The worker's log line when the resets' share of the day's SMS runs out reaches
 * whoever reads the logs; this reaches the administrator, who can look into it. Pure: the
 * caller reads the counts. Times are unix seconds.
 */

export interface ResetRate {
  now: number;
  /** Reset starts in the last hour, counted up to a cap. */
  startsLastHour: number;
  /** The count stopped at its cap: there were at least startsLastHour. */
  startsCapped: boolean;
  /** Warn above this many starts in an hour (RESET_ALERT_PER_HOUR). */
  threshold: number;
  /** Reset texts counted against today's share, and the share (SMS_RESET_SHARE_PERCENT). */
  shareUsed: number;
  shareMax: number;
  /** The share's window (a UTC day), so the alert can say when it starts afresh. */
  shareWindowSeconds: number;
}

export interface ResetAlert {
  startsLastHour: number;
  startsCapped: boolean;
  threshold: number;
  overThreshold: boolean;
  /** No reset text goes out (and a start is refused) until shareRenewsAt. */
  shareSpent: boolean;
  shareMax: number;
  shareRenewsAt: number;
}

/** The alert to show, or null when the rate is ordinary. */
export function judgeResetRate(r: ResetRate): ResetAlert | null {
  const overThreshold = r.startsLastHour > r.threshold;
  // Spent the way a reset start judges it (the count includes refused sends, so it can pass
  // the share). A share of 0 is a setting that sends no reset texts at all, not a flood.
  const shareSpent = r.shareMax > 0 && r.shareUsed >= r.shareMax;
  if (!overThreshold && !shareSpent) return null;
  return {
    startsLastHour: r.startsLastHour,
    startsCapped: r.startsCapped,
    threshold: r.threshold,
    overThreshold,
    shareSpent,
    shareMax: r.shareMax,
    shareRenewsAt: r.now - (r.now % r.shareWindowSeconds) + r.shareWindowSeconds,
  };
}
