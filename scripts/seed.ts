/**
 * Seeds the local D1 with the demo data of DESIGN.md, idempotently: rows that exist are left
 * as they are, so a password changed during a demo survives `npm start`.
 * Run by `npm start`; hashes use the development pepper from .dev.vars. Extra arguments
 * (such as `--persist-to DIR`) are passed on to `wrangler d1 execute`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkHistory, hashPassword, newHistorySalt } from '../worker/domain/password-hash';

function readDevVars(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) vars[match[1]] = match[2];
  }
  return vars;
}

const DEMO_UNIT = { id: 'demo-unit-aby', name: 'Hemtjänst Åby' };
const DEMO_MAILBOXES = [
  {
    id: 'demo-hemtjanstab',
    username: 'hemtjanstab',
    displayName: 'Hemtjänst Åby',
    password: 'Brevlada-2026',
    phone: '+46701234567',
  },
  {
    id: 'demo-hemvardsgruppen',
    username: 'hemvardsgruppen',
    displayName: 'Hemvårdsgruppen Åby',
    password: 'Hemvard#2026',
    phone: null,
  },
];

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
    const salt = newHistorySalt();
    const hash = await hashPassword(m.password, peppers);
    const { digest } = await checkHistory(m.password, salt, [], peppers);
    statements.push(
      `INSERT INTO mailboxes (id, username, display_name, unit_id, phone, password_hash, history_salt,
         password_changed_at, created_at)
       VALUES (${sql(m.id)}, ${sql(m.username)}, ${sql(m.displayName)}, ${sql(DEMO_UNIT.id)},
         ${sql(m.phone)}, ${sql(hash)}, ${sql(salt)}, ${now}, ${now})
       ON CONFLICT (username) DO NOTHING;`,
      // Only for a mailbox created just now (its salt is the one generated above).
      `INSERT INTO password_history (mailbox_id, digest, created_at)
       SELECT id, ${sql(digest)}, ${now} FROM mailboxes
       WHERE id = ${sql(m.id)} AND history_salt = ${sql(salt)};`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nyckel-seed-'));
  const file = path.join(dir, 'seed.sql');
  writeFileSync(file, statements.join('\n'));
  try {
    execFileSync(
      path.join('node_modules', '.bin', 'wrangler'),
      ['d1', 'execute', 'DB', '--local', '--file', file, ...process.argv.slice(2)],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    'Demo data ready: hemtjanstab / Brevlada-2026 (+46701234567), hemvardsgruppen / Hemvard#2026',
  );
}

await main();
