import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { extractCode } from '../../worker/domain/codes';
import { backgroundSettled } from '../../worker/services/deps';
import { seedStaff } from '../handover-helpers';
import { outbox, seedMailbox } from '../helpers';
import { seedPerson, seedUnit } from '../people-helpers';

/*
 * "Links in SMS and e-mail are built from the configured public origin, never from the
 * request's Host header". A whole reset, with the new password
 * shared with staff, is driven through a request addressed to an attacker's host and carrying
 * every forwarding header a proxy might trust; every SMS and e-mail it causes must point at
 * PUBLIC_ORIGIN (https://nyckel.test) only.
 */

const EVIL = 'https://evil.example';
const SPOOF = {
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'http',
  'X-Forwarded-Server': 'evil.example',
  'X-Original-Host': 'evil.example',
  'X-Host': 'evil.example',
  Forwarded: 'host=evil.example;proto=http',
};

/** A request to the worker whose URL (so Host) and Origin are the attacker's. */
async function evil(path: string, body: unknown): Promise<Response> {
  return SELF.fetch(`${EVIL}${path}`, {
    method: 'POST',
    headers: {
      ...SPOOF,
      'CF-Connecting-IP': '198.51.100.7',
      Origin: EVIL,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

describe('links in SMS and e-mail', () => {
  it('point at PUBLIC_ORIGIN whatever Host and forwarding headers the request carries', async () => {
    const unit = await seedUnit('Hemtjänsten Åby');
    await seedPerson({
      name: 'Anna Chef',
      email: 'anna.chef@example.se',
      roles: { [unit.id]: 'manager' },
    });
    const staff = await seedStaff(unit.id, { name: 'Sara Personal', phone: '+46701114455' });
    const mailbox = await seedMailbox({ unitId: unit.id, phone: '+46701234567' });

    const started = await evil('/api/resets', { username: mailbox.username });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    await backgroundSettled();
    const code = extractCode((await outbox())[0]?.body ?? '');
    expect(code).toMatch(/^\d{6}$/);

    const verified = await evil(`/api/resets/${id}/code`, { code });
    expect(verified.status).toBe(200);
    const { token } = (await verified.json()) as { token: string };
    const set = await evil(`/api/resets/${id}/password`, {
      token,
      newPassword: 'Tr4sig-Kanin-44',
    });
    expect(set.status).toBe(204);
    const shared = await evil(`/api/resets/${id}/handovers`, { token, staffIds: [staff.id] });
    expect(shared.status).toBe(201);
    await backgroundSettled();

    const sent = await outbox();
    // The reset code SMS, the manager's e-mail about the change, and the staff member's link.
    expect(sent.some((m) => m.to === mailbox.phone)).toBe(true);
    expect(sent.some((m) => m.to === 'anna.chef@example.se')).toBe(true);
    expect(sent.some((m) => m.to === staff.phone)).toBe(true);
    const links: string[] = [];
    for (const message of sent) {
      expect(message.body, message.to).not.toContain('evil');
      links.push(...(message.body.match(/https?:\/\/[^\s)>"]+/g) ?? []));
      // The WebOTP line names the public host too.
      for (const host of message.body.match(/^@(\S+) #\d{6}$/gm) ?? []) {
        expect(host, message.to).toMatch(/^@nyckel\.test #/);
      }
    }
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) expect(new URL(link).origin, link).toBe('https://nyckel.test');
  });
});
