import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedStaff } from '../handover-helpers';
import {
  call,
  callWith,
  json,
  login,
  loginWith,
  outbox,
  seedMailbox,
  snapshot,
  waitForSms,
} from '../helpers';
import { personCookie, seedPerson, seedUnit } from '../people-helpers';

/*
 * SMS only to the countries the organisation allows (SMS_COUNTRIES, by default SE, NO, DK, FI):
 * a number of another country is refused where it is registered (a mailbox's reset number, a
 * staff member's, a person's), with a message naming the allowed countries; a Norwegian one
 * goes through.
 */

interface PhoneRefusal {
  error: string;
  reason: string;
  allowedCountries: string[];
  message: string;
}

const UK_MOBILE = '+44 7911 123456';
const US_MOBILE = '+1 415 555 2671';
const NORWEGIAN_MOBILE = '+47 412 34 567';

function expectCountryRefusal(body: PhoneRefusal, lang: 'sv' | 'en' = 'sv') {
  expect(body).toMatchObject({
    error: 'invalid_phone',
    reason: 'country',
    allowedCountries: ['SE', 'NO', 'DK', 'FI'],
  });
  expect(body.message).toMatch(
    lang === 'sv' ? /Sverige, Norge, Danmark och Finland/ : /Sweden, Norway, Denmark,? and Finland/,
  );
}

describe("a mailbox's reset number", () => {
  it.each([
    ['British', UK_MOBILE],
    ['American', US_MOBILE],
  ])(
    'refuses a %s mobile number with the allowed countries, sending nothing',
    async (_c, phone) => {
      const mailbox = await seedMailbox({ phone: null });
      const cookie = await login(mailbox);
      const before = await snapshot();
      const res = await call('/api/mailbox/phone', { method: 'PUT', body: { phone }, cookie });
      expect(res.status).toBe(400);
      expectCountryRefusal(await json<PhoneRefusal>(res));
      expect(await snapshot()).toEqual(before);
      expect(await outbox()).toEqual([]);
    },
  );

  it('says so in English for Accept-Language en', async () => {
    const mailbox = await seedMailbox({ phone: null });
    const cookie = await login(mailbox);
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: UK_MOBILE },
      cookie,
      headers: { 'Accept-Language': 'en' },
    });
    expect(res.status).toBe(400);
    expectCountryRefusal(await json<PhoneRefusal>(res), 'en');
  });

  it('accepts a Norwegian mobile number and sends its code there', async () => {
    const mailbox = await seedMailbox({ phone: null });
    const cookie = await login(mailbox);
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: NORWEGIAN_MOBILE },
      cookie,
    });
    expect(res.status).toBe(202);
    expect(await waitForSms('+4741234567')).toHaveLength(1);
  });

  it('follows SMS_COUNTRIES: with SE only, a Norwegian number is refused too', async () => {
    const onlySweden = { ...env, SMS_COUNTRIES: 'SE' } as Env;
    const mailbox = await seedMailbox({ phone: null });
    const cookie = await loginWith(onlySweden, mailbox);
    const res = await callWith(onlySweden, '/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: NORWEGIAN_MOBILE },
      cookie,
    });
    expect(res.status).toBe(400);
    const body = await json<PhoneRefusal>(res);
    expect(body.allowedCountries).toEqual(['SE']);
    expect(body.message).toContain('Sverige');
    expect(body.message).not.toContain('Norge');
  });
});

describe("staff members' and people's numbers", () => {
  async function world() {
    const unit = await seedUnit();
    const admin = await seedPerson({ isAdmin: true });
    const manager = await seedPerson({ roles: { [unit.id]: 'manager' } });
    return {
      unit,
      adminCookie: await personCookie(admin.id),
      managerCookie: await personCookie(manager.id),
    };
  }

  it('refuses a staff member with a British number and adds one with a Norwegian number', async () => {
    const w = await world();
    const before = await snapshot();
    const refused = await call(`/api/manager/units/${w.unit.id}/staff`, {
      cookie: w.managerCookie,
      body: { name: 'Sam Smith', phone: UK_MOBILE },
    });
    expect(refused.status).toBe(400);
    expectCountryRefusal(await json<PhoneRefusal>(refused));
    expect(await snapshot()).toEqual(before);

    const added = await call(`/api/manager/units/${w.unit.id}/staff`, {
      cookie: w.managerCookie,
      body: { name: 'Nora Nordmann', phone: NORWEGIAN_MOBILE },
    });
    expect(added.status).toBe(201);
  });

  it('keeps a staff member’s stored number from elsewhere when only the name changes', async () => {
    const w = await world();
    const staff = await seedStaff(w.unit.id, { phone: '+447911123456' });
    const renamed = await call(`/api/manager/units/${w.unit.id}/staff/${staff.id}`, {
      method: 'PATCH',
      cookie: w.managerCookie,
      body: { name: 'Sam Smith', phone: UK_MOBILE },
    });
    expect(renamed.status).toBe(200);
    const moved = await call(`/api/manager/units/${w.unit.id}/staff/${staff.id}`, {
      method: 'PATCH',
      cookie: w.managerCookie,
      body: { phone: US_MOBILE },
    });
    expect(moved.status).toBe(400);
    expectCountryRefusal(await json<PhoneRefusal>(moved));
  });

  it('refuses a person with an American mobile number and accepts a Norwegian one', async () => {
    const w = await world();
    const refused = await call('/api/admin/people', {
      cookie: w.adminCookie,
      body: { name: 'Ann Smith', email: 'ann@example.se', phone: US_MOBILE },
    });
    expect(refused.status).toBe(400);
    expectCountryRefusal(await json<PhoneRefusal>(refused));
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM people WHERE email = ?')
        .bind('ann@example.se')
        .first<number>('n'),
    ).toBe(0);

    const created = await call('/api/admin/people', {
      cookie: w.adminCookie,
      body: { name: 'Nora Nordmann', email: 'nora@example.se', phone: NORWEGIAN_MOBILE },
    });
    expect(created.status).toBe(201);
    const person = await json<{ id: string }>(created);
    const changed = await call(`/api/admin/people/${person.id}`, {
      method: 'PATCH',
      cookie: w.adminCookie,
      body: { phone: UK_MOBILE },
    });
    expect(changed.status).toBe(400);
    expectCountryRefusal(await json<PhoneRefusal>(changed));
  });
});
