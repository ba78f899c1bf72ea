import { env } from 'cloudflare:test';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Info } from '../../worker/routes/meta.schemas';
import { ResetStarted } from '../../worker/routes/resets.schemas';
import { backgroundSettled } from '../../worker/services/deps';
import { callWith, json, outbox, seedMailbox, waitForSms } from '../helpers';
import { seedPerson, seedUnit } from '../people-helpers';
import { supportChannel } from '../support-fixtures';

/*
 * The support contacts as the organisation writes them (SUPPORT_CHANNELS): each label shown
 * as written, only a channel's own "tel" a number to dial, the same list in the app, the mails
 * and the reset SMS, and a configuration that cannot be right refused before anyone sees it.
 */

/** The guide's three ways: a switchboard menu choice, an address, a message in Treserva. */
const GUIDE_CHANNELS = [
  { label: '2000, knappval 3 och 1', labelEn: '2000, then 3 and 1', tel: '019-21 10 00' },
  { email: 'vardochstod@orebro.se', hours: 'Vardagar 8–16', hoursEn: 'Weekdays 8–16' },
  { label: 'Skicka ett meddelande i Treserva' },
];

function withChannels(channels: unknown): Env {
  return { ...env, SUPPORT_CHANNELS: JSON.stringify(channels) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the support channels the app shows', () => {
  it('answers them in order, each label as written and each number in E.164', async () => {
    const res = await callWith(withChannels(GUIDE_CHANNELS), '/api/info');
    expect(res.status).toBe(200);
    const body = v.parse(Info, await res.json());
    expect(body.support).toEqual([
      supportChannel({
        label: '2000, knappval 3 och 1',
        labelEn: '2000, then 3 and 1',
        tel: '+4619211000',
      }),
      supportChannel({
        email: 'vardochstod@orebro.se',
        hours: 'Vardagar 8–16',
        hoursEn: 'Weekdays 8–16',
      }),
      supportChannel({ label: 'Skicka ett meddelande i Treserva' }),
    ]);
  });

  it('keeps a label that is not a number as text: no number to dial is made from it', async () => {
    const res = await callWith(withChannels([{ label: '2000 knappval 3 och 1' }]), '/api/info');
    const body = v.parse(Info, await res.json());
    expect(body.support).toEqual([supportChannel({ label: '2000 knappval 3 och 1' })]);
    expect(JSON.stringify(body)).not.toContain('200031');
  });

  it('keeps an older SUPPORT_PHONE that is not a number as text too', async () => {
    const old = { ...env, SUPPORT_CHANNELS: '', SUPPORT_PHONE: '2000 knappval 3 och 1' } as Env;
    const body = v.parse(Info, await json(await callWith(old, '/api/info')));
    expect(body.support).toEqual([supportChannel({ label: '2000 knappval 3 och 1' })]);
  });

  it.each([
    ['a menu choice as the number', [{ label: 'Support', tel: '2000 knappval 3 och 1' }], /tel/],
    ['a misspelt key', [{ label: 'Support', phone: '019-21 10 00' }], /unknown key "phone"/],
    ['an address that is not one', [{ email: 'vardochstod' }], /email/],
  ])('refuses to run with %s, and the log says what to fix', async (_case, channels, why) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await callWith(withChannels(channels), '/api/info');
    expect(res.status).toBe(500);
    // The person sees only that something is wrong; the operator's log names the variable.
    expect(await res.json()).toMatchObject({ error: 'internal' });
    const events = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    const refusal = events.find((e) => e.event === 'config_invalid');
    expect(refusal?.message).toMatch(/^SUPPORT_CHANNELS\[0\]/);
    expect(refusal?.message).toMatch(why);
  });
});

describe('the support channels in the reset SMS and the mails', () => {
  it('ends the reset SMS with one line naming the first number to dial', async () => {
    await seedMailbox({ username: 'smsstod', phone: '+46701230001' });
    const start = await callWith(withChannels(GUIDE_CHANNELS), '/api/resets', {
      body: { username: 'smsstod' },
    });
    expect(start.status).toBe(202);
    const [sms] = await waitForSms('+46701230001');
    const lines = (sms?.body ?? '').split('\n');
    expect(lines.at(-3)).toBe('Frågor? Ring support 019-21 10 00.');
    expect(lines.at(-1)).toMatch(/^@nyckel\.test #\d{6}$/);
  });

  it('leaves the line out when no channel has a number, rather than invent one', async () => {
    await seedMailbox({ username: 'smsutan', phone: '+46701230002' });
    await callWith(withChannels([{ label: '2000, knappval 3 och 1' }]), '/api/resets', {
      body: { username: 'smsutan' },
    });
    const [sms] = await waitForSms('+46701230002');
    expect(sms?.body).not.toMatch(/support|2000/i);
  });

  it("lists every channel in the manager's mail after a reset", async () => {
    const unit = await seedUnit('Hemtjänsten Stöd');
    const manager = await seedPerson({
      name: 'Stina Chef',
      email: 'stina.chef@example.se',
      roles: { [unit.id]: 'manager' },
    });
    await seedMailbox({ username: 'mejlstod', unitId: unit.id, phone: '+46701230003' });
    const appEnv = withChannels(GUIDE_CHANNELS);
    const started = v.parse(
      ResetStarted,
      await json(await callWith(appEnv, '/api/resets', { body: { username: 'mejlstod' } })),
    );
    const [sms] = await waitForSms('+46701230003');
    const code = /#(\d{6})$/.exec(sms?.body ?? '')?.[1];
    const verified = await callWith(appEnv, `/api/resets/${started.id}/code`, { body: { code } });
    const { token } = await json<{ token: string }>(verified);
    const set = await callWith(appEnv, `/api/resets/${started.id}/password`, {
      body: { token, newPassword: 'Tr4sig-Kanin-44' },
    });
    expect(set.status).toBe(204);
    await backgroundSettled();
    const mail = (await outbox()).find((m) => m.to === manager.email);
    expect(mail?.body).toContain(
      [
        'Var det här inte väntat? Kontakta support:',
        '• 2000, knappval 3 och 1: 019-21 10 00',
        '• vardochstod@orebro.se (Vardagar 8–16)',
        '• Skicka ett meddelande i Treserva',
      ].join('\n'),
    );
    expect(mail?.body).toContain('• 2000, then 3 and 1: 019-21 10 00');
    expect(mail?.body).toContain('• vardochstod@orebro.se (Weekdays 8–16)');
  });
});
