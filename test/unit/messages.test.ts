import { describe, expect, it } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import type { Language } from '../../worker/domain/language';
import {
  codeSms,
  ERRORS,
  type ErrorCode,
  errorMessage,
  phoneReplacedSms,
} from '../../worker/domain/messages';
import { maskPhone } from '../../worker/domain/phone';

const CODES = Object.keys(ERRORS) as ErrorCode[];
const LANGUAGES: Language[] = ['sv', 'en'];

describe('ERRORS', () => {
  it('has error codes to check', () => {
    expect(CODES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(CODES)('%s has a non-empty Swedish and English text that differ', (code) => {
    const { sv, en } = ERRORS[code];
    expect(sv.trim().length).toBeGreaterThan(0);
    expect(en.trim().length).toBeGreaterThan(0);
    expect(sv).not.toBe(en);
  });

  it.each(CODES)('%s has an HTTP error status in 400..599', (code) => {
    const { status } = ERRORS[code];
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThanOrEqual(599);
  });

  it.each([
    ['invalid_request', 400],
    ['invalid_code', 400],
    ['invalid_phone', 400],
    ['invalid_credentials', 401],
    ['unauthorized', 401],
    ['internal_network', 403],
    ['expired', 410],
    ['policy', 422],
    ['locked', 423],
    ['rate_limited', 429],
    ['sms_unavailable', 503],
  ] as const)('%s answers %i, as API v1 promises', (code, status) => {
    expect(ERRORS[code].status).toBe(status);
  });

  it('gives every Swedish text its own wording (no copy-paste between codes)', () => {
    const texts = CODES.map((code) => ERRORS[code].sv);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('errorMessage', () => {
  it.each(CODES.flatMap((code) => LANGUAGES.map((lang) => [code, lang] as const)))(
    'returns the %s text in %s',
    (code, lang) => {
      expect(errorMessage(code, lang)).toBe(ERRORS[code][lang]);
    },
  );

  it('answers in Swedish and English differently for the same code', () => {
    expect(errorMessage('locked', 'sv')).not.toBe(errorMessage('locked', 'en'));
  });
});

describe('codeSms', () => {
  const params = { username: 'hemtjanstab', code: '012345', host: 'nyckel.test' };

  it.each([
    ['reset', 'sv'],
    ['reset', 'en'],
    ['phone', 'sv'],
    ['phone', 'en'],
  ] as const)(
    'the %s text in %s carries the code and ends with the WebOTP line',
    (purpose, lang) => {
      const sms = codeSms(purpose, lang, params);
      const webOtp = '\n\n@nyckel.test #012345';
      expect(sms.endsWith(webOtp)).toBe(true);
      const lines = sms.split('\n');
      expect(lines.at(-1)).toBe('@nyckel.test #012345');
      expect(lines.at(-2)).toBe('');
      const body = sms.slice(0, -webOtp.length);
      expect(body).toContain('012345');
      expect(body).toContain('hemtjanstab');
      expect(body).not.toContain('@nyckel.test');
      expect(extractCode(sms)).toBe('012345');
    },
  );

  it('writes Swedish and English differently, and reset and phone differently', () => {
    const texts = new Set([
      codeSms('reset', 'sv', params),
      codeSms('reset', 'en', params),
      codeSms('phone', 'sv', params),
      codeSms('phone', 'en', params),
    ]);
    expect(texts.size).toBe(4);
  });

  it('ends a reset code with one line naming the support number, before the WebOTP line', () => {
    const sv = codeSms('reset', 'sv', { ...params, support: '019-21 10 00' });
    expect(sv.split('\n').slice(-3)).toEqual([
      'Frågor? Ring support 019-21 10 00.',
      '',
      '@nyckel.test #012345',
    ]);
    expect(extractCode(sv)).toBe('012345');
    const en = codeSms('reset', 'en', { ...params, support: '019-21 10 00' });
    expect(en).toContain('\nQuestions? Call support 019-21 10 00.\n\n@nyckel.test');
    // No number configured: no line, rather than one that leads nowhere.
    expect(codeSms('reset', 'sv', { ...params, support: null })).not.toContain('support');
    // Registering a number is done with the manager at hand: no support line there.
    expect(codeSms('phone', 'sv', { ...params, support: '019-21 10 00' })).not.toContain('support');
  });

  it('uses the host it is given in the WebOTP line', () => {
    const sms = codeSms('reset', 'sv', { ...params, host: 'nyckel.example.se' });
    expect(sms.split('\n').at(-1)).toBe('@nyckel.example.se #012345');
  });
});

describe('phoneReplacedSms', () => {
  const maskedNew = maskPhone('+46709876543');
  const support = '031-123 45 67';

  it.each(LANGUAGES)(
    'in %s names the masked number and the support phone, never a code',
    (lang) => {
      const sms = phoneReplacedSms(lang, { username: 'hemtjanstab', maskedNew, support });
      expect(sms).toContain(maskedNew);
      expect(sms).toContain(support);
      expect(sms).toContain('hemtjanstab');
      expect(sms).not.toContain('+46709876543');
      expect(sms).not.toMatch(/#\d/);
      expect(sms).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
      expect(extractCode(sms)).toBeNull();
    },
  );

  it('checks that the number really is masked', () => {
    expect(maskedNew).not.toContain('9876543');
  });

  it('asks to contact support without a number when none is configured', () => {
    const p = { username: 'hemtjanstab', maskedNew, support: null };
    expect(phoneReplacedSms('sv', p)).toMatch(/Var det inte du\? Kontakta support\.$/);
    expect(phoneReplacedSms('en', p)).toMatch(/Was it not you\? Contact support\.$/);
  });

  it('writes Swedish and English differently', () => {
    const p = { username: 'hemtjanstab', maskedNew, support };
    expect(phoneReplacedSms('sv', p)).not.toBe(phoneReplacedSms('en', p));
  });
});
