import { describe, expect, it } from 'vitest';
import { judgeResetRate, type ResetRate } from '../../worker/domain/reset-alert';

const DAY = 86_400;
/** 2026-05-04 08:00:10 UTC. */
const NOW = Date.UTC(2026, 4, 4, 8, 0, 10) / 1000;

function rate(overrides: Partial<ResetRate> = {}): ResetRate {
  return {
    now: NOW,
    startsLastHour: 10,
    startsCapped: false,
    threshold: 50,
    shareUsed: 100,
    shareMax: 1200,
    shareWindowSeconds: DAY,
    ...overrides,
  };
}

describe('judgeResetRate', () => {
  it('says nothing on an ordinary day, nor at exactly the threshold', () => {
    expect(judgeResetRate(rate())).toBeNull();
    expect(judgeResetRate(rate({ startsLastHour: 50 }))).toBeNull();
    expect(judgeResetRate(rate({ shareUsed: 1199 }))).toBeNull();
  });

  it('warns above the threshold', () => {
    expect(judgeResetRate(rate({ startsLastHour: 51 }))).toMatchObject({
      startsLastHour: 51,
      overThreshold: true,
      shareSpent: false,
    });
  });

  it('warns when the share is spent, refused sends included, and says when it renews', () => {
    const alert = judgeResetRate(rate({ shareUsed: 1250 }));
    expect(alert).toMatchObject({ overThreshold: false, shareSpent: true, shareMax: 1200 });
    expect(alert?.shareRenewsAt).toBe(Date.UTC(2026, 4, 5) / 1000);
  });

  it('takes a share of 0 for a setting that sends no reset texts, not a flood', () => {
    expect(judgeResetRate(rate({ shareUsed: 0, shareMax: 0 }))).toBeNull();
  });

  it('warns of every start with a threshold of 0', () => {
    expect(judgeResetRate(rate({ startsLastHour: 0, threshold: 0 }))).toBeNull();
    expect(judgeResetRate(rate({ startsLastHour: 1, threshold: 0 }))?.overThreshold).toBe(true);
  });
});
