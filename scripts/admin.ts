/**
 * The first administrator (and the break-glass when every administrator has lost their
 * device): `npm run admin -- invite <e-mail> [--name "Full Name"] [--remote] [--persist-to DIR]`.
 *
 * Creates the person as an administrator if they are missing (or makes an existing one an
 * administrator again, enabled), revokes their open invites, stores a new one and prints the
 * link. Only a SHA-256 of the link's 256-bit token is stored, the same digest the worker
 * computes (`inviteDigest` in worker/domain/tokens.ts), so no deployment secret is needed here.
 * Locally it writes the D1 that `npm start` uses; with `--remote`, the deployed database, and
 * the link uses PUBLIC_ORIGIN from wrangler.toml.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasUnsafeNameCharacters, UNSAFE_NAME_MESSAGE } from '../worker/domain/name-text';
import { inviteDigest, newId, newToken } from '../worker/domain/tokens';
import { readDevVars } from './dev-vars';

const ROOT = path.resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm run admin -- invite <e-mail> [--name "Full Name"] [--remote] [--persist-to DIR]

  invite <e-mail>    Invite the person as an administrator and print the enrolment link.
  --name "Name"      The person's name (for a new person; updates an existing one's).
  --remote           Write to the deployed D1 database (wrangler login needed); the link
                     uses PUBLIC_ORIGIN from wrangler.toml.
  --persist-to DIR   Local state folder, as given to \`wrangler dev --persist-to\`.`;

class UsageError extends Error {}

/** The [vars] table of wrangler.toml: only `KEY = "value"` lines, which is all it holds. */
function readWranglerVars(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const section = /^\s*\[+([^\]]+)\]+\s*(#.*)?$/.exec(line);
    if (section) {
      inVars = section[1]?.trim() === 'vars';
      continue;
    }
    const match = /^\s*([A-Z0-9_]+)\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line);
    if (inVars && match?.[1] && match[2] !== undefined) vars[match[1]] = match[2];
  }
  return vars;
}

function sql(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

interface InviteArgs {
  email: string;
  name: string | null;
  remote: boolean;
  persistTo: string | null;
}

function parseInviteArgs(argv: string[]): InviteArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const [command, rawEmail, ...rest] = positionals;
  if (command !== 'invite' || !rawEmail || rest.length > 0) throw new UsageError('');
  const email = rawEmail.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new UsageError(`Not an e-mail address: ${rawEmail}`);
  }
  const name = values.name?.trim() ?? null;
  if (name !== null && (name === '' || name.length > 200)) {
    throw new UsageError('--name must be 1–200 characters');
  }
  if (name !== null && hasUnsafeNameCharacters(name)) {
    throw new UsageError(`--name: ${UNSAFE_NAME_MESSAGE}`);
  }
  if (values.remote && values['persist-to']) {
    throw new UsageError('--persist-to is for the local database only');
  }
  return { email, name, remote: values.remote, persistTo: values['persist-to'] ?? null };
}

/** Where the link points: the deployment's public origin, or the local `npm start`. */
function publicOrigin(args: InviteArgs): string {
  if (args.remote) {
    const origin = readWranglerVars(path.join(ROOT, 'wrangler.toml')).PUBLIC_ORIGIN;
    if (!origin) throw new Error('wrangler.toml [vars] has no PUBLIC_ORIGIN');
    return new URL(origin).origin;
  }
  // `npm start` runs on $PORT and sets PUBLIC_ORIGIN to match; otherwise .dev.vars decides.
  if (process.env.PORT) return `http://localhost:${process.env.PORT}`;
  for (const file of ['.dev.vars', '.dev.vars.example']) {
    const full = path.join(ROOT, file);
    const origin = existsSync(full) ? readDevVars(full).PUBLIC_ORIGIN : undefined;
    if (origin) return new URL(origin).origin;
  }
  return 'http://localhost:8787';
}

function inviteHours(): number {
  const raw = readWranglerVars(path.join(ROOT, 'wrangler.toml')).INVITE_HOURS;
  const hours = raw ? Number(raw) : 72;
  return Number.isInteger(hours) && hours > 0 ? hours : 72;
}

interface D1Result {
  results?: Record<string, unknown>[];
  success?: boolean;
}

function d1(args: InviteArgs, command: string): D1Result[] {
  const where = args.remote
    ? ['--remote', '--yes']
    : ['--local', ...(args.persistTo ? ['--persist-to', args.persistTo] : [])];
  let out: string;
  try {
    out = execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'wrangler'),
      ['d1', 'execute', 'DB', ...where, '--json', '--command', command],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    const text = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    if (/no such table/i.test(text)) {
      throw new Error(
        args.remote
          ? 'The remote database has no schema yet: npx wrangler d1 migrations apply DB --remote'
          : 'The local database has no schema yet: run `npm start` once, or npx wrangler d1 migrations apply DB --local',
      );
    }
    // wrangler's own message (not the SQL: it would show the token's digest for no reason).
    const message = /"text":\s*"([^"]+)"/.exec(text)?.[1] ?? /✘.*$/m.exec(text)?.[0];
    const hint = args.remote
      ? '\nFor --remote: `npx wrangler login` (or CLOUDFLARE_API_TOKEN) and the real database_id in wrangler.toml.'
      : '';
    throw new Error(`wrangler d1 execute failed: ${message ?? 'see wrangler output'}${hint}`);
  }
  const json = out.slice(out.indexOf('['));
  return JSON.parse(json) as D1Result[];
}

async function invite(args: InviteArgs) {
  const token = newToken();
  const tokenHash = await inviteDigest(token);
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + inviteHours() * 3600;
  const personId = newId();
  const inviteId = newId();
  const email = sql(args.email);
  const defaultName = args.name ?? args.email.split('@')[0] ?? args.email;
  const person = `(SELECT id FROM people WHERE email = ${email})`;
  const statements = [
    `SELECT id, name, is_admin AS isAdmin, disabled_at AS disabledAt FROM people WHERE email = ${email}`,
    // A new person, or the existing one made an administrator again and enabled: this is the
    // way back in when every administrator has lost their device.
    `INSERT INTO people (id, name, email, is_admin, created_at)
       VALUES (${sql(personId)}, ${sql(defaultName)}, ${email}, 1, ${now})
     ON CONFLICT (email) DO UPDATE SET is_admin = 1, disabled_at = NULL${
       args.name ? ', name = excluded.name' : ''
     }`,
    `UPDATE invites SET revoked_at = ${now} WHERE person_id = ${person}
       AND used_at IS NULL AND revoked_at IS NULL`,
    `INSERT INTO invites (id, token_hash, person_id, created_by, created_at, expires_at)
       SELECT ${sql(inviteId)}, ${sql(tokenHash)}, id, 'system:cli', ${now}, ${expiresAt}
       FROM people WHERE email = ${email}`,
    `INSERT INTO audit (at, actor, action, target, ip, outcome, detail)
       SELECT ${now}, 'system', 'invite.create', 'person:' || id, NULL, 'success',
         '{"via":"cli","isAdmin":true}'
       FROM people WHERE email = ${email}`,
    `SELECT p.id, p.name, i.expires_at AS expiresAt FROM invites i JOIN people p ON p.id = i.person_id
       WHERE i.id = ${sql(inviteId)}`,
  ];
  const results = d1(args, statements.join(';\n'));
  const before = results[0]?.results?.[0] as
    | { id: string; name: string; isAdmin: number; disabledAt: number | null }
    | undefined;
  const after = results.at(-1)?.results?.[0] as
    | { id: string; name: string; expiresAt: number }
    | undefined;
  if (!after) throw new Error('The invite was not stored');
  return {
    link: `${publicOrigin(args)}/inbjudan#${token}`,
    personId: after.id,
    name: after.name,
    created: !before,
    wasDisabled: Boolean(before?.disabledAt),
    madeAdmin: Boolean(before && !before.isAdmin),
    expiresAt: new Date(after.expiresAt * 1000),
  };
}

async function main() {
  let args: InviteArgs;
  try {
    args = parseInviteArgs(process.argv.slice(2));
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      if (err instanceof Error && err.message) console.error(`${err.message}\n`);
      console.error(USAGE);
      process.exit(2);
    }
    throw err;
  }
  const result = await invite(args);
  const where = args.remote ? 'the deployed database' : 'the local database';
  const notes = [
    result.created ? 'New person, created as an administrator.' : null,
    result.madeAdmin ? 'Existing person, now an administrator.' : null,
    result.wasDisabled ? 'The person was disabled and is enabled again.' : null,
    'Earlier open invites of the person are revoked.',
  ].filter(Boolean);
  console.log(
    [
      `Invite for ${result.name} <${args.email}> in ${where}.`,
      ...notes,
      `Single use, valid until ${result.expiresAt.toISOString()}:`,
      '',
      `  ${result.link}`,
      '',
      'Anyone with this link can enrol as this person: give it to them only. Enrolling',
      'replaces their earlier passkeys and TOTP and ends their sessions.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
