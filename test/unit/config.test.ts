import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { config } from '../../worker/config';

/** A fresh object each time: config() caches per env object. */
const withVars = (vars: Partial<Record<keyof Env, string>>): Env => ({ ...env, ...vars }) as Env;

describe('configuration for people, mail and reminders', () => {
  it('refuses the mail outbox outside development, like the SMS outbox', () => {
    expect(() =>
      config(
        withVars({ ENVIRONMENT: 'production', SMS_PROVIDER: '46elks', MAIL_PROVIDER: 'outbox' }),
      ),
    ).toThrow(/MAIL_PROVIDER "outbox"/);
    expect(() => config(withVars({ MAIL_PROVIDER: 'sendmail' }))).toThrow(/MAIL_PROVIDER must be/);
  });

  it('needs a 32-byte data key in base64', () => {
    expect(() => config(withVars({ DATA_KEY: '' }))).toThrow(/DATA_KEY/);
    expect(() => config(withVars({ DATA_KEY: btoa('too short') }))).toThrow(/DATA_KEY/);
    const cfg = config(withVars({ DATA_KEY: btoa('x'.repeat(32)), DATA_KEY_ID: '7' }));
    expect(cfg.dataKey.id).toBe('7');
    expect(cfg.dataKey.keys.get('7')).toBe(btoa('x'.repeat(32)));
  });

  it('keeps earlier data keys readable during a rotation', () => {
    const vars = {
      DATA_KEY: btoa('n'.repeat(32)),
      DATA_KEY_ID: '2',
      DATA_KEY_1: btoa('o'.repeat(32)),
    };
    const cfg = config({ ...env, ...vars } as Env);
    expect([...cfg.dataKey.keys.keys()].sort()).toEqual(['1', '2']);
  });

  it('sends SMS to the Nordic countries unless SMS_COUNTRIES says otherwise', () => {
    expect(config(withVars({ SMS_COUNTRIES: 'SE,NO,DK,FI' })).sms.countries).toEqual([
      'SE',
      'NO',
      'DK',
      'FI',
    ]);
    expect(config(withVars({ SMS_COUNTRIES: 'se, no' })).sms.countries).toEqual(['SE', 'NO']);
    expect(() => config(withVars({ SMS_COUNTRIES: 'SE,UK' }))).toThrow(/SMS_COUNTRIES/);
    expect(() => config(withVars({ SMS_COUNTRIES: '' }))).toThrow(/SMS_COUNTRIES/);
  });

  it('derives the WebAuthn relying party from the public origin, never from a request', () => {
    const cfg = config(withVars({ PUBLIC_ORIGIN: 'https://nyckel.orebro.se' }));
    expect(cfg.people.rpId).toBe('nyckel.orebro.se');
  });

  it('reads session limits, step-up window, invite life and trusted card issuers', () => {
    const cfg = config(
      withVars({
        PERSON_IDLE_MINUTES: '30',
        PERSON_SESSION_HOURS: '12',
        STEP_UP_MINUTES: '10',
        INVITE_HOURS: '72',
        CLIENT_CERT_ISSUERS: 'CN=SITHS e-id Person ID 3 CA v1,O=Inera AB,C=SE; CN=Other CA,C=SE',
      }),
    );
    expect(cfg.people).toMatchObject({
      idleSeconds: 1800,
      absoluteSeconds: 43_200,
      freshSeconds: 600,
      inviteSeconds: 259_200,
      certIssuers: ['CN=SITHS e-id Person ID 3 CA v1,O=Inera AB,C=SE', 'CN=Other CA,C=SE'],
    });
  });

  it('orders reminder thresholds from the earliest and refuses nonsense', () => {
    expect(config(withVars({ REMINDER_DAYS: '0,14,3,3' })).reminderDays).toEqual([14, 3, 0]);
    expect(() => config(withVars({ REMINDER_DAYS: '14,-1' }))).toThrow(/REMINDER_DAYS/);
    expect(() => config(withVars({ REMINDER_DAYS: 'soon' }))).toThrow(/REMINDER_DAYS/);
  });
});

describe('where new hires’ initial passwords are set', () => {
  it('is the IdM’s job by default: Nyckel only shows the password', () => {
    expect(config(withVars({ NEW_HIRE_PASSWORDS: 'local' })).identities.directory).toBeNull();
    expect(config(withVars({ NEW_HIRE_PASSWORDS: '' })).identities.directory).toBeNull();
  });

  it('in the domain, by the configured attribute and key', () => {
    expect(config(withVars({ NEW_HIRE_PASSWORDS: 'ad' })).identities.directory).toEqual({
      attribute: 'sAMAccountName',
      key: 'userId',
    });
    const hsa = config(
      withVars({
        NEW_HIRE_PASSWORDS: 'ad',
        NEW_HIRE_ACCOUNT_ATTRIBUTE: 'hsaIdentity',
        NEW_HIRE_ACCOUNT_KEY: 'hsaId',
      }),
    );
    expect(hsa.identities.directory).toEqual({ attribute: 'hsaIdentity', key: 'hsaId' });
  });

  it('refuses an unknown mode, an attribute that is not one, or an unknown key', () => {
    expect(() => config(withVars({ NEW_HIRE_PASSWORDS: 'ldap' }))).toThrow(/NEW_HIRE_PASSWORDS/);
    expect(() =>
      config(withVars({ NEW_HIRE_PASSWORDS: 'ad', NEW_HIRE_ACCOUNT_ATTRIBUTE: 'cn=*)(x' })),
    ).toThrow(/NEW_HIRE_ACCOUNT_ATTRIBUTE/);
    expect(() =>
      config(withVars({ NEW_HIRE_PASSWORDS: 'ad', NEW_HIRE_ACCOUNT_KEY: 'email' })),
    ).toThrow(/NEW_HIRE_ACCOUNT_KEY/);
  });
});

describe('support channels', () => {
  const channels = JSON.stringify([
    { label: '2000, knappval 3 och 1', tel: '019-21 10 00', hours: 'Vardagar 8–16' },
    { label: 'Skicka ett meddelande i Treserva' },
  ]);

  it('reads SUPPORT_CHANNELS in order, with each number in E.164', () => {
    const cfg = config(withVars({ SUPPORT_CHANNELS: channels }));
    expect(cfg.support.map((c) => [c.label, c.tel, c.hours])).toEqual([
      ['2000, knappval 3 och 1', '+4619211000', 'Vardagar 8–16'],
      ['Skicka ett meddelande i Treserva', null, null],
    ]);
  });

  it('refuses to start with a number that cannot be dialled, and says where', () => {
    expect(() =>
      config(withVars({ SUPPORT_CHANNELS: '[{"label": "Support", "tel": "2000"}]' })),
    ).toThrow(/SUPPORT_CHANNELS\[0\]\.tel "2000" is not a number anyone can dial/);
    expect(() => config(withVars({ SUPPORT_CHANNELS: 'Ring 2000' }))).toThrow(
      /SUPPORT_CHANNELS is not valid JSON/,
    );
  });

  it('keeps an older configuration with SUPPORT_PHONE and SUPPORT_EMAIL working', () => {
    const old = { ...env, SUPPORT_CHANNELS: undefined } as unknown as Record<string, unknown>;
    const legacy = { ...old, SUPPORT_PHONE: '019-21 10 00', SUPPORT_EMAIL: 'a@b.se' };
    const cfg = config(legacy as unknown as Env);
    expect(cfg.support.map((c) => [c.label, c.tel, c.email])).toEqual([
      ['019-21 10 00', '+4619211000', null],
      ['', null, 'a@b.se'],
    ]);
  });

  it('refuses both at once, so nobody wonders which contact people see', () => {
    const both = { ...env, SUPPORT_CHANNELS: channels, SUPPORT_PHONE: '019-21 10 00' };
    expect(() => config(both as Env)).toThrow(/replaced by SUPPORT_CHANNELS/);
  });
});
