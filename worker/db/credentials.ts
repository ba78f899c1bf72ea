/**
 * People's sign-in factors: passkeys, TOTP factors, WebAuthn challenges, and the session and
 * view queries their sign-in needs. Times are unix seconds. Statements that take a `guard`
 * (invites.ts `inviteUsedGuard`) write only if the request's claim on the invite won, so an
 * enrolment batch either happens whole or not at all.
 */
import type { UnitRole } from '../domain/access';
import type { Db, Guard } from './database';
import { oneRow, type Read } from './reads';

const ALWAYS: Guard = { sql: '1', params: [] };

// --- WebAuthn challenges ---------------------------------------------------------------

export type ChallengePurpose = 'register' | 'authenticate';

export async function insertWebauthnChallenge(
  db: Db,
  c: {
    id: string;
    challenge: string;
    purpose: ChallengePurpose;
    inviteId: string | null;
    at: number;
    expiresAt: number;
  },
) {
  await db
    .prepare(
      `INSERT INTO webauthn_challenges (id, challenge, purpose, invite_id, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(c.id, c.challenge, c.purpose, c.inviteId, c.at, c.expiresAt)
    .run();
}

/**
 * Uses a challenge once: the conditional UPDATE lets exactly one request have it, whether or
 * not that request's response then verifies. Null when it is unknown, used, expired, for
 * another purpose or (registration) another invite.
 */
export async function claimWebauthnChallenge(
  db: Db,
  c: { id: string; purpose: ChallengePurpose; inviteId: string | null; now: number },
): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE webauthn_challenges SET used_at = ?1
       WHERE id = ?2 AND purpose = ?3 AND invite_id IS ?4 AND used_at IS NULL AND expires_at > ?1
       RETURNING challenge`,
    )
    .bind(c.now, c.id, c.purpose, c.inviteId)
    .first<{ challenge: string }>();
  return row?.challenge ?? null;
}

// --- Passkeys ------------------------------------------------------------------------------

export interface StoredPasskey {
  id: string;
  personId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  personDisabled: boolean;
}

export async function findPasskey(db: Db, id: string): Promise<StoredPasskey | null> {
  const row = await db
    .prepare(
      `SELECT k.id, k.person_id, k.public_key, k.counter, k.transports, p.disabled_at
       FROM passkeys k JOIN people p ON p.id = k.person_id WHERE k.id = ?`,
    )
    .bind(id)
    .first<{
      id: string;
      person_id: string;
      public_key: string;
      counter: number;
      transports: string | null;
      disabled_at: number | null;
    }>();
  if (!row) return null;
  return {
    id: row.id,
    personId: row.person_id,
    publicKey: row.public_key,
    counter: row.counter,
    transports: row.transports ? row.transports.split(',').filter(Boolean) : [],
    personDisabled: row.disabled_at !== null,
  };
}

export function insertPasskeyStatement(
  db: Db,
  k: { id: string; personId: string; publicKey: string; counter: number; transports: string[] },
  at: number,
  guard: Guard = ALWAYS,
) {
  return db
    .prepare(
      `INSERT INTO passkeys (id, person_id, public_key, counter, transports, created_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(
      k.id,
      k.personId,
      k.publicKey,
      k.counter,
      k.transports.join(',') || null,
      at,
      ...guard.params,
    );
}

/** Enrolment replaces every earlier factor of the person (lost device = new invite). */
export function deleteFactorsStatements(db: Db, personId: string, guard: Guard = ALWAYS) {
  return [
    db
      .prepare(`DELETE FROM passkeys WHERE person_id = ? AND ${guard.sql}`)
      .bind(personId, ...guard.params),
    db
      .prepare(`DELETE FROM totp_factors WHERE person_id = ? AND ${guard.sql}`)
      .bind(personId, ...guard.params),
  ];
}

// --- TOTP ----------------------------------------------------------------------------------

/**
 * Keeps the sealed secret offered during enrolment, replacing `previous` only (compare and
 * swap): the first offer stays, so two tabs of the same invite show the same QR code.
 */
export async function offerInviteTotpSecret(
  db: Db,
  inviteId: string,
  sealed: string,
  previous: string | null,
) {
  const result = await db
    .prepare(
      `UPDATE invites SET totp_secret = ? WHERE id = ? AND totp_secret IS ?
         AND used_at IS NULL AND revoked_at IS NULL`,
    )
    .bind(sealed, inviteId, previous)
    .run();
  return result.meta.changes === 1;
}

/** The sealed TOTP secret an invite offers right now. */
export async function inviteTotpSecret(db: Db, inviteId: string) {
  const row = await db
    .prepare('SELECT totp_secret FROM invites WHERE id = ?')
    .bind(inviteId)
    .first<{ totp_secret: string | null }>();
  return row?.totp_secret ?? null;
}

export function insertTotpFactorStatement(
  db: Db,
  f: { personId: string; sealedSecret: string; lastStep: number },
  at: number,
  guard: Guard = ALWAYS,
) {
  return db
    .prepare(
      `INSERT INTO totp_factors (person_id, secret, last_step, created_at)
       SELECT ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(f.personId, f.sealedSecret, f.lastStep, at, ...guard.params);
}

/** The person's TOTP factor (sealed secret), if they have one and are not disabled. */
export async function findTotpFactor(db: Db, email: string) {
  return db
    .prepare(
      `SELECT p.id AS personId, t.secret AS sealedSecret, t.last_step AS lastStep
       FROM people p JOIN totp_factors t ON t.person_id = p.id
       WHERE p.email = ? AND p.disabled_at IS NULL`,
    )
    .bind(email)
    .first<{ personId: string; sealedSecret: string; lastStep: number }>();
}

/**
 * Spends a time step: a code works once, and an older one never after a newer one. The
 * changed-row count decides a race between two requests with the same code.
 */
export async function claimTotpStep(db: Db, personId: string, step: number) {
  const result = await db
    .prepare('UPDATE totp_factors SET last_step = ?1 WHERE person_id = ?2 AND last_step < ?1')
    .bind(step, personId)
    .run();
  return result.meta.changes === 1;
}

// --- People and sessions -------------------------------------------------------------------

/** The units a person has a role in, with their names, for the person's own view. */
export async function unitsOfPerson(db: Db, personId: string) {
  const { results } = await db
    .prepare(
      `SELECT u.id, u.name, r.role FROM roles r JOIN units u ON u.id = r.unit_id
       WHERE r.person_id = ? ORDER BY u.name, u.id`,
    )
    .bind(personId)
    .all<{ id: string; name: string; role: UnitRole }>();
  return results;
}

export type SignInMethod = 'passkey' | 'totp' | 'certificate';

/** A new person session (verified now); `guard` ties it to an enrolment's invite claim. */
export function insertPersonSessionStatement(
  db: Db,
  s: {
    idHash: string;
    personId: string;
    at: number;
    expiresAt: number;
    ip: string | null;
    method: SignInMethod;
  },
  guard: Guard = ALWAYS,
) {
  return db
    .prepare(
      `INSERT INTO sessions (id_hash, kind, subject_id, created_at, expires_at, ip, last_seen_at,
         verified_at, method)
       SELECT ?, 'person', ?, ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(s.idHash, s.personId, s.at, s.expiresAt, s.ip, s.at, s.at, s.method, ...guard.params);
}

/** Ends every session of the person, in an enrolment batch (the old device is out). */
export function revokePersonSessionsGuardedStatement(
  db: Db,
  personId: string,
  now: number,
  guard: Guard,
) {
  return db
    .prepare(
      `UPDATE sessions SET revoked_at = ? WHERE kind = 'person' AND subject_id = ?
         AND revoked_at IS NULL AND ${guard.sql}`,
    )
    .bind(now, personId, ...guard.params);
}

/** Ends the one person session a request's cookie pointed at (a new sign-in replaces it). */
export function revokePersonSessionStatement(
  db: Db,
  idHash: string,
  now: number,
  guard: Guard = ALWAYS,
) {
  return db
    .prepare(
      `UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND kind = 'person'
         AND revoked_at IS NULL AND ${guard.sql}`,
    )
    .bind(now, idHash, ...guard.params);
}

// --- Sign-in in two D1 calls -----------------------------------------------------------

/** claimWebauthnChallenge as a statement for a batch, written only where `guard` holds. */
export function claimWebauthnChallengeStatement(
  db: Db,
  c: { id: string; purpose: ChallengePurpose; inviteId: string | null; now: number },
  guard: Guard = ALWAYS,
) {
  return {
    statement: db
      .prepare(
        `UPDATE webauthn_challenges SET used_at = ?1
         WHERE id = ?2 AND purpose = ?3 AND invite_id IS ?4 AND used_at IS NULL AND expires_at > ?1
           AND ${guard.sql}
         RETURNING challenge`,
      )
      .bind(c.now, c.id, c.purpose, c.inviteId, ...guard.params),
    read: (result: D1Result) =>
      (result.results[0] as { challenge: string } | undefined)?.challenge ?? null,
  };
}

/** What a sign-in shows of the person: their view's fields and units, read with the factor. */
export interface SignInPerson {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
  disabledAt: number | null;
  units: { id: string; name: string; role: UnitRole }[];
}

const SIGN_IN_PERSON = `p.id AS person_id, p.name AS person_name, p.email AS person_email,
  p.is_admin AS person_is_admin, p.disabled_at AS person_disabled_at,
  (SELECT json_group_array(json_object('id', x.id, 'name', x.name, 'role', x.role))
     FROM (SELECT u.id, u.name, r.role FROM roles r JOIN units u ON u.id = r.unit_id
           WHERE r.person_id = p.id ORDER BY u.name, u.id) x) AS person_units`;

interface SignInPersonRow {
  person_id: string;
  person_name: string;
  person_email: string;
  person_is_admin: number;
  person_disabled_at: number | null;
  person_units: string;
}

function toSignInPerson(row: SignInPersonRow): SignInPerson {
  return {
    id: row.person_id,
    name: row.person_name,
    email: row.person_email,
    isAdmin: row.person_is_admin === 1,
    disabledAt: row.person_disabled_at,
    units: JSON.parse(row.person_units) as SignInPerson['units'],
  };
}

/** findPasskey with its person (view fields and units), in one statement. */
export function findPasskeyWithPersonRead(
  db: Db,
  id: string,
): Read<(StoredPasskey & { person: SignInPerson }) | null> {
  return oneRow(
    db
      .prepare(
        `SELECT k.id, k.public_key, k.counter, k.transports, ${SIGN_IN_PERSON}
         FROM passkeys k JOIN people p ON p.id = k.person_id WHERE k.id = ?`,
      )
      .bind(id),
    (
      row: SignInPersonRow & {
        id: string;
        public_key: string;
        counter: number;
        transports: string | null;
      },
    ) => ({
      id: row.id,
      personId: row.person_id,
      publicKey: row.public_key,
      counter: row.counter,
      transports: row.transports ? row.transports.split(',').filter(Boolean) : [],
      personDisabled: row.person_disabled_at !== null,
      person: toSignInPerson(row),
    }),
  );
}

/** The person a certificate's HSA-id names, disabled or not, with their view fields. */
export function findPersonForCertificateRead(db: Db, hsaId: string): Read<SignInPerson | null> {
  return oneRow(
    db.prepare(`SELECT ${SIGN_IN_PERSON} FROM people p WHERE p.hsa_id = ?`).bind(hsaId),
    toSignInPerson,
  );
}

/** True while the person exists and is not disabled: a session starts only then. */
export function personLiveGuard(personId: string): Guard {
  return {
    sql: 'EXISTS (SELECT 1 FROM people WHERE id = ? AND disabled_at IS NULL)',
    params: [personId],
  };
}

/** After a verified assertion: the authenticator's new signature counter, and when. */
export function recordPasskeyUseStatement(db: Db, id: string, counter: number, now: number) {
  return db
    .prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?')
    .bind(counter, now, id);
}

/** A person by id with their view fields, disabled or not. */
export function findSignInPersonRead(db: Db, personId: string): Read<SignInPerson | null> {
  return oneRow(
    db.prepare(`SELECT ${SIGN_IN_PERSON} FROM people p WHERE p.id = ?`).bind(personId),
    toSignInPerson,
  );
}
