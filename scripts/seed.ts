/**
 * Seeds the local D1 with the demo data of the README, idempotently: rows that exist are left
 * as they are, so a password changed during a demo survives `npm start`.
 * Run by `npm start`; hashes use the development pepper from .dev.vars. Extra arguments
 * (such as `--persist-to DIR`) are passed on to `wrangler d1 execute`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Keyring } from '../connector/src/keys';
import { connectorIdOf } from '../worker/domain/directory-protocol';
import { checkHistory, hashPassword, newHistorySalt } from '../worker/domain/password-hash';
import { inviteDigest, newToken } from '../worker/domain/tokens';
import { readDevVars } from './dev-vars';

const DEMO_UNIT = { id: 'demo-unit-aby', name: 'Hemtjänst Åby' };
const DEMO_MAILBOXES = [
  {
    id: 'demo-hemtjanstab',
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    password: 'Brevlada-2026',
    phone: '+46701234567',
    // Changed 80 days ago: due in 10 days, so the manager's home and the 14-day reminder
    // have something to show on a first start.
    ageDays: 80,
  },
  {
    id: 'demo-hemvardsgruppen',
    username: 'hemvardsgruppen',
    displayName: 'Hemvårdsgruppen Åby',
    password: 'Hemvard#2026',
    phone: null,
    // Changed 95 days ago: overdue.
    ageDays: 95,
  },
];

/** The unit's manager, so a newcomer can try the manager's side without any set-up. */
const DEMO_MANAGER = {
  id: 'demo-manager-maria',
  name: 'Maria Lind',
  email: 'maria.lind@example.se',
};
const INVITE_SECONDS = 72 * 3600;

/**
 * A few staff of the demo unit, so "Share with staff" has someone to send to.
 * Clearly fake numbers in a Swedish mobile range; development SMS go to the outbox anyway.
 */
const DEMO_STAFF = [
  { id: 'demo-staff-sara', name: 'Sara Ek', phone: '+46701234581' },
  { id: 'demo-staff-omar', name: 'Omar Berg', phone: '+46701234582' },
  { id: 'demo-staff-lena', name: 'Lena Åkesson', phone: '+46701234583' },
];

/** The development connector's registration (Administration → Katalog shows it). */
const DEV_CONNECTOR_NAME = 'Utvecklingskatalogen (lokal Samba)';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `DIRECTORY=ad npm start`: scripts/start.mjs passes the demo mailboxes' domain accounts
 * ({ username: objectGUID }) and the development connector's key file.
 */
function directorySeed(): { links: Record<string, string>; keyFile: string } | null {
  const raw = process.env.NYCKEL_SEED_DIRECTORY;
  if (!raw) return null;
  const parsed = JSON.parse(raw) as { links?: Record<string, unknown>; keyFile?: unknown };
  const links: Record<string, string> = {};
  for (const m of DEMO_MAILBOXES) {
    const guid = parsed.links?.[m.username];
    if (typeof guid !== 'string' || !GUID.test(guid)) {
      throw new Error(`NYCKEL_SEED_DIRECTORY: no objectGUID for ${m.username}`);
    }
    links[m.username] = guid;
  }
  if (typeof parsed.keyFile !== 'string') throw new Error('NYCKEL_SEED_DIRECTORY: no keyFile');
  return { links, keyFile: parsed.keyFile };
}

/**
 * Links the demo mailboxes to their domain accounts (the domain holds the password from now
 * on) and registers the development connector, creating its keys if there are none. A mailbox
 * already linked to that account keeps its marker, so its sessions survive a restart.
 */
async function directoryStatements(
  seed: { links: Record<string, string>; keyFile: string },
  now: number,
): Promise<{ statements: string[]; connectorId: string; created: boolean }> {
  const { keys, created } = await Keyring.loadOrCreate(seed.keyFile);
  const { signingKey, encryptionKey } = keys.publicKeys();
  const connectorId = await connectorIdOf(signingKey);
  const statements = [
    `INSERT INTO connectors (id, name, signing_key, encryption_key, created_at, created_by)
     VALUES (${sql(connectorId)}, ${sql(DEV_CONNECTOR_NAME)}, ${sql(signingKey.x)},
       ${sql(JSON.stringify(encryptionKey))}, ${now}, 'seed')
     ON CONFLICT DO NOTHING;`,
  ];
  for (const m of DEMO_MAILBOXES) {
    const guid = seed.links[m.username] as string;
    statements.push(
      // Not when another mailbox (linked in Katalog) is already anchored to that account.
      `UPDATE mailboxes SET mode = 'ad', object_guid = ${sql(guid)},
         password_hash = ${sql(`directory$seed-${newToken()}`)}
       WHERE id = ${sql(m.id)} AND (mode <> 'ad' OR object_guid IS NOT ${sql(guid)})
         AND NOT EXISTS (SELECT 1 FROM mailboxes
           WHERE object_guid = ${sql(guid)} AND id <> ${sql(m.id)});`,
    );
  }
  return { statements, connectorId, created };
}

function sql(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

async function main() {
  const vars = readDevVars('.dev.vars');
  const pepper = vars.PASSWORD_PEPPER;
  if (!pepper) throw new Error('.dev.vars has no PASSWORD_PEPPER');
  const peppers = { current: 1, secrets: new Map([[1, pepper]]) };
  const now = Math.floor(Date.now() / 1000);
  const statements = [
    `INSERT INTO units (id, name, created_at) VALUES (${sql(DEMO_UNIT.id)}, ${sql(DEMO_UNIT.name)}, ${now})
     ON CONFLICT (id) DO NOTHING;`,
  ];
  for (const m of DEMO_MAILBOXES) {
    const changedAt = now - m.ageDays * 86_400;
    const salt = newHistorySalt();
    const hash = await hashPassword(m.password, peppers);
    const { digest } = await checkHistory(m.password, salt, [], peppers);
    statements.push(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash, history_salt,
         password_changed_at, created_at)
       VALUES (${sql(m.id)}, ${sql(m.username)}, ${sql(m.displayName)}, ${sql(DEMO_UNIT.id)},
         ${sql(m.phone)}, ${sql(hash)}, ${sql(salt)}, ${changedAt}, ${changedAt})
       ON CONFLICT (username) DO NOTHING;`,
      // Only for a mailbox created just now (its salt is the one generated above).
      `INSERT INTO password_history (mailbox_id, digest, created_at)
       SELECT id, ${sql(digest)}, ${changedAt} FROM mailboxes
       WHERE id = ${sql(m.id)} AND history_salt = ${sql(salt)};`,
    );
  }
  for (const st of DEMO_STAFF) {
    statements.push(
      `INSERT INTO staff (id, unit_id, name, phone, created_at, created_by, updated_at)
       VALUES (${sql(st.id)}, ${sql(DEMO_UNIT.id)}, ${sql(st.name)}, ${sql(st.phone)}, ${now}, 'seed', ${now})
       ON CONFLICT DO NOTHING;`,
    );
  }
  // A fresh enrolment link for the demo manager on every start until they have a passkey or
  // TOTP; earlier open links end so only the printed one works.
  const inviteToken = newToken();
  const inviteHash = await inviteDigest(inviteToken);
  const notEnrolled = `NOT EXISTS (SELECT 1 FROM passkeys WHERE person_id = ${sql(DEMO_MANAGER.id)})
       AND NOT EXISTS (SELECT 1 FROM totp_factors WHERE person_id = ${sql(DEMO_MANAGER.id)})`;
  statements.push(
    `INSERT INTO people (id, name, email, created_at)
     VALUES (${sql(DEMO_MANAGER.id)}, ${sql(DEMO_MANAGER.name)}, ${sql(DEMO_MANAGER.email)}, ${now})
     ON CONFLICT DO NOTHING;`,
    `INSERT INTO roles (person_id, unit_id, role, created_at, created_by)
     VALUES (${sql(DEMO_MANAGER.id)}, ${sql(DEMO_UNIT.id)}, 'manager', ${now}, 'seed')
     ON CONFLICT DO NOTHING;`,
    `UPDATE invites SET revoked_at = ${now} WHERE person_id = ${sql(DEMO_MANAGER.id)}
       AND used_at IS NULL AND revoked_at IS NULL AND ${notEnrolled};`,
    `INSERT INTO invites (id, token_hash, person_id, created_by, created_at, expires_at)
     SELECT ${sql(newToken(16))}, ${sql(inviteHash)}, ${sql(DEMO_MANAGER.id)}, 'seed', ${now},
       ${now + INVITE_SECONDS} WHERE ${notEnrolled};`,
  );
  const directory = directorySeed();
  const linked = directory ? await directoryStatements(directory, now) : null;
  if (linked) statements.push(...linked.statements);
  const dir = mkdtempSync(path.join(tmpdir(), 'nyckel-seed-'));
  const file = path.join(dir, 'seed.sql');
  writeFileSync(file, statements.join('\n'));
  const wrangler = (args: string[]) =>
    execFileSync(
      path.join('node_modules', '.bin', 'wrangler'),
      ['d1', 'execute', 'DB', '--local', ...args, ...process.argv.slice(2)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
        encoding: 'utf8',
      },
    );
  let invited = false;
  try {
    wrangler(['--file', file]);
    const out = wrangler([
      '--json',
      '--command',
      `SELECT count(*) AS n FROM invites WHERE token_hash = ${sql(inviteHash)}`,
    ]);
    invited = (JSON.parse(out) as { results: { n: number }[] }[])[0]?.results[0]?.n === 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (directory && linked) {
    console.log(
      'Demo data ready: hemtjanstab (+46701234567) and hemvardsgruppen keep their passwords in ' +
        'the local domain (DIRECTORY=ad).',
    );
    console.log(
      `Development connector ${linked.connectorId} registered; keys ${
        linked.created ? 'created in' : 'in'
      } ${directory.keyFile}`,
    );
  } else {
    console.log(
      'Demo data ready: hemtjanstab / Brevlada-2026 (+46701234567), hemvardsgruppen / Hemvard#2026',
    );
  }
  const origin = `http://localhost:${process.env.PORT || '8787'}`;
  if (invited) {
    // Development only: this link signs in as the demo manager of Hemtjänst Åby.
    console.log(
      `Demo manager (${DEMO_MANAGER.name}, Hemtjänst Åby) enrolment link, valid 72 hours:\n  ${origin}/inbjudan#${inviteToken}`,
    );
  } else {
    console.log(`Demo manager ${DEMO_MANAGER.name} is enrolled: sign in at ${origin}/logga-in`);
  }
}

await main();
