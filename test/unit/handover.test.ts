import { describe, expect, it } from 'vitest';
import {
  HANDOVER_SECONDS,
  handoverSms,
  handoverUrl,
  linkState,
  SHARE_OFFER_SECONDS,
} from '../../worker/domain/handover';
import { PAGES } from '../../worker/domain/page-paths';

const NOW = 1_800_000_000;

describe('handover link state', () => {
  const open = { viewedAt: null, revokedAt: null, expiresAt: NOW + 60 };

  it('is ready while nobody has viewed it, it is not revoked and time is left', () => {
    expect(linkState(open, NOW)).toBe('ready');
  });

  it('is expired from its expiry second on', () => {
    expect(linkState(open, NOW + 59)).toBe('ready');
    expect(linkState(open, NOW + 60)).toBe('expired');
  });

  it('stays viewed after it expires or is revoked: the person did see it', () => {
    expect(linkState({ viewedAt: NOW - 5, revokedAt: NOW, expiresAt: NOW - 1 }, NOW)).toBe(
      'viewed',
    );
  });

  it('says revoked rather than expired for a link that was taken back', () => {
    expect(linkState({ viewedAt: null, revokedAt: NOW - 5, expiresAt: NOW - 1 }, NOW)).toBe(
      'revoked',
    );
  });
});

describe('handover link and SMS', () => {
  it('puts the token in the fragment of a link on the configured origin', () => {
    const url = handoverUrl('https://nyckel.example.se/some/path?x=1', 'abc_DEF-123');
    expect(url).toBe(`https://nyckel.example.se${PAGES.reveal}#abc_DEF-123`);
    expect(new URL(url).search).toBe('');
  });

  it('names the mailbox and the sharer, carries the link, and says it shows once', () => {
    const text = handoverSms({
      username: 'hemtjanstab',
      sharedBy: 'Maria Lind',
      url: 'https://nyckel.test/visa#tok',
    });
    expect(text).toContain('hemtjanstab');
    expect(text).toContain('Maria Lind');
    expect(text).toContain('https://nyckel.test/visa#tok');
    expect(text).toMatch(/en gång/);
    expect(text).toMatch(/24 timmar/);
  });

  it('lives 24 hours once shared, and the offer to share 15 minutes', () => {
    expect(HANDOVER_SECONDS).toBe(86_400);
    expect(SHARE_OFFER_SECONDS).toBe(900);
  });
});
