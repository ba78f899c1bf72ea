import { env } from 'cloudflare:test';
import { config } from '../worker/config';
import { seal } from '../worker/domain/sealed';
import { newId, newToken, tokenDigest } from '../worker/domain/tokens';

/*
 * Fixtures for staff lists and handovers, written straight to D1 so a test of one
 * route does not depend on the others. The flows themselves are tested through the API.
 */

let seq = 0;

export async function seedStaff(
  unitId: string,
  options: { name?: string; phone?: string } = {},
): Promise<{ id: string; name: string; phone: string }> {
  seq++;
  const staff = {
    id: `staff-${seq}-${crypto.randomUUID()}`,
    name: options.name ?? `Personal ${seq}`,
    phone: options.phone ?? `+4670123${String(4500 + seq).padStart(4, '0')}`,
  };
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `INSERT INTO staff (id, unit_id, name, phone, created_at, created_by, updated_at)
     VALUES (?, ?, ?, ?, ?, 'test', ?)`,
  )
    .bind(staff.id, unitId, staff.name, staff.phone, now, now)
    .run();
  return staff;
}

/** A share offer of `password` for `personId`, as a reset on behalf would leave it. */
export async function seedOffer(
  mailboxId: string,
  personId: string,
  password = 'Vinter-Kanel-47',
): Promise<string> {
  const id = newId();
  const now = Math.floor(Date.now() / 1000);
  const sealed = await seal(password, `handover:${id}:password`, config(env).dataKey);
  await env.DB.prepare(
    `INSERT INTO handovers (id, mailbox_id, sealed, setter, created_at, offer_expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
    .bind(id, mailboxId, sealed, `person:${personId}`, now, now + 900)
    .run();
  return id;
}

/** A shared handover with one unopened link to `staffId`; returns the ids and the token. */
export async function seedHandover(
  mailboxId: string,
  personId: string,
  staffId: string,
  password = 'Vinter-Kanel-47',
): Promise<{ handoverId: string; linkId: string; token: string }> {
  const handoverId = await seedOffer(mailboxId, personId, password);
  const now = Math.floor(Date.now() / 1000);
  const token = newToken();
  const linkId = newId();
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE handovers SET shared_at = ?, shared_by = setter, expires_at = ? WHERE id = ?`,
    ).bind(now, now + 86_400, handoverId),
    env.DB.prepare(
      `INSERT INTO handover_links (id, handover_id, staff_id, token_hash, created_at, expires_at, sms, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, 'sent', ?)`,
    ).bind(
      linkId,
      handoverId,
      staffId,
      await tokenDigest(config(env).sessionSecret, token),
      now,
      now + 86_400,
      now,
    ),
  ]);
  return { handoverId, linkId, token };
}
