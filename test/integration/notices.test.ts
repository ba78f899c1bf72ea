import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backgroundSettled } from '../../worker/services/deps';
import {
  call,
  json,
  latestCode,
  login,
  OUTSIDE_IP,
  outbox,
  type SeededMailbox,
  seedMailbox,
  startReset,
} from '../helpers';
import { seedPerson, seedUnit } from '../people-helpers';

/*
 * After any mailbox password or phone change, the unit's managers and delegates get an e-mail:
 * what, how, when (Swedish time), from where and a link — never the password or a
 * code. The development outbox holds the mail next to the SMS: body = subject + "\n\n" + text.
 */

/** 2026-05-04 08:01 UTC = 10:01 in Sweden (summer time). */
const T0 = Date.UTC(2026, 4, 4, 8, 1, 0);
const WHEN_SV = '4 maj 2026 kl. 10:01';
const WHEN_EN = '4 May 2026 at 10:01';
const NEW_PASSWORD = 'Tr4sig-Kanin-44';
const OLD_PHONE = '+46701234567';
const NEW_PHONE = '+46709876543';

afterEach(() => {
  vi.useRealTimers();
});

function freezeClock() {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
}

/** A unit with a manager, a delegate, a disabled manager, and a manager of another unit. */
async function seedUnitWithPeople() {
  const unit = await seedUnit('Hemtjänsten Åby');
  const other = await seedUnit('Hemtjänsten Berga');
  const manager = await seedPerson({
    name: 'Anna Chef',
    email: 'anna.chef@example.se',
    roles: { [unit.id]: 'manager' },
  });
  const delegate = await seedPerson({
    name: 'Olle Ombud',
    email: 'olle.ombud@example.se',
    roles: { [unit.id]: 'delegate' },
  });
  const disabled = await seedPerson({
    name: 'Slutat Person',
    email: 'slutat@example.se',
    roles: { [unit.id]: 'manager' },
    disabled: true,
  });
  const outsider = await seedPerson({
    name: 'Berga Chef',
    email: 'berga.chef@example.se',
    roles: { [other.id]: 'manager' },
  });
  const mailbox = await seedMailbox({
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    unitId: unit.id,
    phone: OLD_PHONE,
  });
  return { unit, manager, delegate, disabled, outsider, mailbox };
}

/** Mail in the outbox (SMS go to numbers, mail to addresses), after background work. */
async function mails() {
  await backgroundSettled();
  return (await outbox()).filter((m) => m.to.includes('@'));
}

async function mailsTo(address: string) {
  return (await mails()).filter((m) => m.to === address);
}

async function completeReset(mailbox: SeededMailbox, ip = OUTSIDE_IP) {
  const { id, code } = await startReset(mailbox);
  const verified = await call(`/api/resets/${id}/code`, { body: { code }, ip });
  expect(verified.status).toBe(200);
  const { token } = await json<{ token: string }>(verified);
  const set = await call(`/api/resets/${id}/password`, {
    body: { token, newPassword: NEW_PASSWORD },
    ip,
  });
  expect(set.status).toBe(204);
  return { code: code ?? '', token };
}

async function changePassword(cookie: string, ip: string | null = OUTSIDE_IP) {
  return call('/api/mailbox/password', {
    body: { currentPassword: 'Hemvard#2026', newPassword: NEW_PASSWORD },
    cookie,
    ip,
  });
}

async function changePhone(cookie: string) {
  expect(
    (await call('/api/mailbox/phone', { method: 'PUT', body: { phone: NEW_PHONE }, cookie }))
      .status,
  ).toBe(202);
  const code = await latestCode(NEW_PHONE);
  const res = await call('/api/mailbox/phone/verify', { body: { code }, cookie });
  expect(res.status).toBe(200);
  return code;
}

async function mailDeliveries() {
  const { results } = await env.DB.prepare(
    "SELECT purpose, recipient_masked, provider, status, attempts FROM deliveries WHERE channel = 'mail' ORDER BY id",
  ).all<{ purpose: string; recipient_masked: string; status: string }>();
  return results;
}

describe('the notice after a self-service reset', () => {
  it("e-mails the unit's manager and delegate what happened, how, when, from where, with the link", async () => {
    freezeClock();
    const { manager, delegate, mailbox } = await seedUnitWithPeople();
    const { code, token } = await completeReset(mailbox);

    const all = await mails();
    expect(all.map((m) => m.to).sort()).toEqual([delegate.email, manager.email].sort());
    for (const mail of all) {
      const [subject, ...rest] = mail.body.split('\n\n');
      expect(subject).toBe('Nyckel: lösenordet för hemtjanstab har bytts / Password changed');
      const text = rest.join('\n\n');
      expect(text).toContain('Lösenordet för brevlådan Hemtjänst Åby (hemtjanstab) har bytts.');
      expect(text).toContain('Med självservice');
      expect(text).toContain(`När: ${WHEN_SV} (svensk tid)`);
      expect(text).toContain(`When: ${WHEN_EN} (Swedish time)`);
      expect(text).toContain(`IP-adress ${OUTSIDE_IP}`);
      expect(text).toContain(`https://nyckel.test/chef/brevlada/${mailbox.id}`);
      expect(text).toContain(
        'Kontakta support:\n• Telefon 2000, knappval 3 och 1: 019-21 10 00\n• support@example.se\n',
      );
      expect(text).toContain('Hemtjänsten Åby');
      expect(text).not.toContain(NEW_PASSWORD);
      expect(text).not.toContain(mailbox.password);
      expect(text).not.toContain(code);
      expect(text).not.toContain(token);
    }
  });

  it('sends nothing to a disabled person or to the managers of another unit', async () => {
    const { disabled, outsider, mailbox } = await seedUnitWithPeople();
    await completeReset(mailbox);
    expect(await mailsTo(disabled.email)).toEqual([]);
    expect(await mailsTo(outsider.email)).toEqual([]);
    expect(await mails()).toHaveLength(2);
  });

  it('records each delivery with a masked address and the purpose, never the text', async () => {
    const { mailbox } = await seedUnitWithPeople();
    await completeReset(mailbox);
    await backgroundSettled();
    const records = await mailDeliveries();
    expect(records).toEqual([
      expect.objectContaining({
        purpose: 'notice_password',
        recipient_masked: 'o•••@example.se',
        status: 'sent',
      }),
      expect.objectContaining({
        purpose: 'notice_password',
        recipient_masked: 'a•••@example.se',
        status: 'sent',
      }),
    ]);
    const columns = JSON.stringify(records);
    expect(columns).not.toContain('anna.chef');
    expect(columns).not.toContain('brevlada');
  });

  it('sends no mail for a mailbox without a unit', async () => {
    const mailbox = await seedMailbox({ phone: OLD_PHONE });
    await seedPerson({ email: 'admin@example.se', isAdmin: true });
    await completeReset(mailbox);
    expect(await mails()).toEqual([]);
    expect(await mailDeliveries()).toEqual([]);
  });

  it('sends no mail when the unit has nobody to tell', async () => {
    const unit = await seedUnit();
    const mailbox = await seedMailbox({ unitId: unit.id, phone: OLD_PHONE });
    await completeReset(mailbox);
    expect(await mails()).toEqual([]);
  });

  it('sends no mail when the reset is refused', async () => {
    const { mailbox } = await seedUnitWithPeople();
    const { id, code } = await startReset(mailbox);
    const verified = await call(`/api/resets/${id}/code`, { body: { code } });
    const { token } = await json<{ token: string }>(verified);
    const weak = await call(`/api/resets/${id}/password`, {
      body: { token, newPassword: 'abc' },
    });
    expect(weak.status).toBe(422);
    const wrongToken = await call(`/api/resets/${id}/password`, {
      body: { token: `${token}x`, newPassword: NEW_PASSWORD },
    });
    expect(wrongToken.status).toBe(401);
    expect(await mails()).toEqual([]);
  });
});

describe('the notice after a password change by the mailbox', () => {
  it('e-mails the manager and delegate that the mailbox changed its own password', async () => {
    freezeClock();
    const { manager, delegate, mailbox } = await seedUnitWithPeople();
    const cookie = await login(mailbox);
    expect((await changePassword(cookie)).status).toBe(204);

    const all = await mails();
    expect(all.map((m) => m.to).sort()).toEqual([delegate.email, manager.email].sort());
    const body = all[0]?.body ?? '';
    expect(body).toMatch(/^Nyckel: lösenordet för hemtjanstab har bytts/);
    expect(body).toContain('Av brevlådan själv');
    expect(body).toContain('By the mailbox itself');
    expect(body).toContain(WHEN_SV);
    expect(body).toContain(`IP-adress ${OUTSIDE_IP}`);
    expect(body).toContain(`https://nyckel.test/chef/brevlada/${mailbox.id}`);
    expect(body).not.toContain(NEW_PASSWORD);
    expect(body).not.toContain(mailbox.password);
  });

  it('sends nothing for a wrong current password or a password the policy refuses', async () => {
    const { mailbox } = await seedUnitWithPeople();
    const cookie = await login(mailbox);
    const wrong = await call('/api/mailbox/password', {
      body: { currentPassword: 'Fel-Losen-99', newPassword: NEW_PASSWORD },
      cookie,
    });
    expect(wrong.status).toBe(401);
    const weak = await call('/api/mailbox/password', {
      body: { currentPassword: mailbox.password, newPassword: 'kort' },
      cookie,
    });
    expect(weak.status).toBe(422);
    expect(await mails()).toEqual([]);
  });
});

describe('the notice after a phone change', () => {
  it('e-mails the manager and delegate the masked new number, never the code', async () => {
    freezeClock();
    const { manager, delegate, mailbox } = await seedUnitWithPeople();
    const cookie = await login(mailbox);
    const code = await changePhone(cookie);

    const all = await mails();
    expect(all.map((m) => m.to).sort()).toEqual([delegate.email, manager.email].sort());
    const body = all[0]?.body ?? '';
    expect(body).toMatch(/^Nyckel: mobilnumret för hemtjanstab har bytts \/ Mobile number changed/);
    expect(body).toContain('har bytts till 070-••• 65 43.');
    expect(body).toContain('bekräftade det nya numret med en sms-kod');
    expect(body).toContain(WHEN_SV);
    expect(body).toContain(`IP-adress ${OUTSIDE_IP}`);
    expect(body).toContain(`https://nyckel.test/chef/brevlada/${mailbox.id}`);
    expect(body.replace(/[\s-]/g, '')).not.toContain('709876543');
    expect(body.replace(/[\s-]/g, '')).not.toContain('701234567');
    expect(body).not.toContain(code);
    expect(body).not.toContain(mailbox.password);
  });

  it('sends nothing while the new number is only asked for, or for a wrong code', async () => {
    const { mailbox } = await seedUnitWithPeople();
    const cookie = await login(mailbox);
    await call('/api/mailbox/phone', { method: 'PUT', body: { phone: NEW_PHONE }, cookie });
    const code = await latestCode(NEW_PHONE);
    const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
    const res = await call('/api/mailbox/phone/verify', { body: { code: wrong }, cookie });
    expect(res.status).toBe(400);
    expect(await mails()).toEqual([]);
  });

  it('says the address is unknown when the request had none', async () => {
    const { mailbox, manager } = await seedUnitWithPeople();
    const cookie = await login(mailbox);
    expect((await changePassword(cookie, null)).status).toBe(204);
    const [mail] = await mailsTo(manager.email);
    expect(mail?.body).toContain('Varifrån: okänd adress');
    expect(mail?.body).toContain('From: unknown address');
  });
});
