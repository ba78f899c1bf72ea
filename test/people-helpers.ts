import { env } from 'cloudflare:test';
import { config } from '../worker/config';
import { inviteDigest } from '../worker/db/invites';
import type { UnitRole } from '../worker/domain/access';
import { newToken, tokenDigest } from '../worker/domain/tokens';

/*
 * Test fixtures for people: units, people with roles, a signed-in session written straight to
 * D1 (so tests of manager and admin routes do not depend on a passkey ceremony), and invites.
 */

let seq = 0;

export async function seedUnit(name?: string): Promise<{ id: string; name: string }> {
  seq++;
  const unit = { id: `unit-${seq}-${crypto.randomUUID()}`, name: name ?? `Enhet ${seq}` };
  await env.DB.prepare('INSERT INTO units (id, name, created_at) VALUES (?, ?, ?)')
    .bind(unit.id, unit.name, Math.floor(Date.now() / 1000))
    .run();
  return unit;
}

export interface SeededPerson {
  id: string;
  name: string;
  email: string;
}

export async function seedPerson(
  options: {
    name?: string;
    email?: string;
    isAdmin?: boolean;
    hsaId?: string | null;
    phone?: string | null;
    roles?: Record<string, UnitRole>;
    disabled?: boolean;
  } = {},
): Promise<SeededPerson> {
  seq++;
  const now = Math.floor(Date.now() / 1000);
  const person = {
    id: `person-${seq}-${crypto.randomUUID()}`,
    name: options.name ?? `Person ${seq}`,
    email: (options.email ?? `person${seq}@example.se`).toLowerCase(),
  };
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO people (id, name, email, phone, hsa_id, is_admin, disabled_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      person.id,
      person.name,
      person.email,
      options.phone ?? null,
      options.hsaId ?? null,
      options.isAdmin ? 1 : 0,
      options.disabled ? now : null,
      now,
    ),
    ...Object.entries(options.roles ?? {}).map(([unitId, role]) =>
      env.DB.prepare(
        'INSERT INTO roles (person_id, unit_id, role, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
      ).bind(person.id, unitId, role, now, 'test'),
    ),
  ]);
  return person;
}

/**
 * A live person session written to D1 and its Cookie header value. `verifiedAgoSeconds`
 * places the last strong check in the past (e.g. 11 minutes to test step-up).
 */
export async function personCookie(
  personId: string,
  options: { verifiedAgoSeconds?: number; method?: 'passkey' | 'totp' | 'certificate' } = {},
): Promise<string> {
  const cfg = config(env);
  const token = newToken();
  const now = Math.floor(Date.now() / 1000);
  const verifiedAt = now - (options.verifiedAgoSeconds ?? 0);
  await env.DB.prepare(
    `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, last_seen_at,
       verified_at, method) VALUES (?, 'person', ?, ?, ?, NULL, ?, ?, ?)`,
  )
    .bind(
      await tokenDigest(cfg.sessionSecret, token),
      personId,
      verifiedAt,
      verifiedAt + cfg.people.absoluteSeconds,
      now,
      verifiedAt,
      options.method ?? 'passkey',
    )
    .run();
  // Test requests go to https://nyckel.test, so the cookie carries the __Host- prefix.
  return `__Host-nyckel_person=${token}`;
}

/** An open invite for a person; returns the token that the link would carry. */
export async function seedInvite(
  personId: string,
  options: { expiresInSeconds?: number } = {},
): Promise<string> {
  const token = newToken();
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `INSERT INTO invites (id, token_hash, person_id, created_by, created_at, expires_at)
     VALUES (?, ?, ?, 'test', ?, ?)`,
  )
    .bind(
      crypto.randomUUID(),
      await inviteDigest(token),
      personId,
      now,
      now + (options.expiresInSeconds ?? 72 * 3600),
    )
    .run();
  return token;
}
