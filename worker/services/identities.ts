import type { PersonPrincipal } from '../app-env';
import { type AuditEntry, audit, auditStatement, auditWhereStatement } from '../db/audit';
import { nowSeconds } from '../db/clock';
import type { Limit } from '../db/counters';
import {
  claimCycleMail,
  findIdentityById,
  findIdentityByIdRead,
  findIdentityByUserId,
  finishCycleMail,
  firstLoginStatements,
  type IdentityQuery,
  type IdentityRow,
  type IdentityWrite,
  identitiesWithoutBirthIndex,
  insertIdentityStatement,
  type KeyRange,
  listDueIdentities,
  recordFetchStatement,
  searchIdentities,
  searchIdentitiesReads,
  setBirthIndexes,
  startInitialPasswordStatement,
  type UnitFilter,
  unfetchedStartingBy,
  unnotified,
  updateIdentityStatement,
  userIdByPnrIndex,
  withdrawInitialPasswordStatement,
} from '../db/identities';
import { listUnits } from '../db/manager';
import { unitRecipients } from '../db/people';
import { countStatement, overLimit } from '../db/throttle';
import { canActOnUnit, unitScope } from '../domain/access';
import { toHex } from '../domain/bytes';
import { generatePassword } from '../domain/generate-password';
import { looksLikeHsaIdPrefix } from '../domain/hsa-id';
import {
  type IdentityFields,
  type ValidIdentity,
  validateIdentity,
} from '../domain/identity-input';
import {
  daysBetween,
  initialPasswordReason,
  initialPasswordState,
  swedishDate,
  withdrawsInitialPassword,
} from '../domain/identity-rules';
import { initialPasswordMail } from '../domain/mail-text';
import { nameSearches, prefixRange, searchKey } from '../domain/name-search';
import { identityPath, pageUrl } from '../domain/page-paths';
import {
  birthDigits,
  looksLikePersonnummer,
  maskPersonnummerStart,
  parsePersonnummer,
  personnummerPrefixes,
} from '../domain/personnummer';
import { seal, unseal } from '../domain/sealed';
import { hmacSha256, newId } from '../domain/tokens';
import { ApiError, isUniqueViolation, retryError } from '../http/errors';
import { mailProvider, sendMail } from '../outbound/mail';
import type { Deps } from './deps';
import { writeInitialPassword } from './hire-directory';

/*
 * Identities of new hires and their initial passwords, as the initial-password guide has it. The
 * personnummer is sealed with AES-GCM and found again only through its keyed blind index;
 * the initial password is sealed the same way and deleted at the first login. The contexts
 * bind each ciphertext to its identity *and* its purpose, so neither a ciphertext copied to
 * another identity nor a personnummer copied into the password column decrypts.
 */

const pnrContext = (id: string) => `identity:${id}:personnummer`;
export const initialPasswordContext = (id: string) => `identity:${id}:initial-password`;

export async function pnrIndex(deps: Deps, canonical: string): Promise<string> {
  return toHex(await hmacSha256(deps.cfg.identities.indexKey, canonical));
}

/**
 * The blind index of a birth date as the number writes it (`YYYYMMDD`, the day 60 higher in a
 * samordningsnummer), so the start of a personnummer finds everyone born that day without the
 * date being stored in clear. The purpose prefix keeps it apart from any other index made
 * with the same key.
 */
export async function birthIndex(deps: Deps, digits: string): Promise<string> {
  return toHex(await hmacSha256(deps.cfg.identities.indexKey, `birth-date:${digits}`));
}

/** IdentitySummary of the API: never the personnummer, only its masked form. */
export function identitySummary(row: IdentityRow, today: string) {
  return {
    id: row.id,
    userId: row.userId,
    givenName: row.givenName,
    familyName: row.familyName,
    personalNumberMasked: row.pnrMasked,
    hsaId: row.hsaId,
    unitId: row.unitId,
    unitName: row.unitName,
    startDate: row.startDate,
    started: row.startDate <= today,
    state: row.state,
    initialPassword: initialPasswordState(row.initial),
  };
}

export type IdentitySummary = ReturnType<typeof identitySummary>;

export interface UpsertResult {
  identity: IdentitySummary;
  created: boolean;
  changed: boolean;
  /** Whether this upsert started an initial-password cycle (and e-mailed the unit). */
  initialPassword: 'started' | 'none';
}

/** Reads the fields the HR system sent, or 400 naming every bad field. */
export async function checkIdentity(deps: Deps, fields: IdentityFields): Promise<ValidIdentity> {
  const units = new Set((await listUnits(deps.db, 'all')).map((u) => u.id));
  const result = validateIdentity(fields, (id) => units.has(id));
  if (!result.ok) throw new ApiError('invalid_request', { issues: result.issues });
  return result.value;
}

function sameIdentity(row: IdentityRow, w: IdentityWrite): boolean {
  return (
    row.givenName === w.givenName &&
    row.familyName === w.familyName &&
    row.pnrIndex === w.pnrIndex &&
    row.hsaId === w.hsaId &&
    row.unitId === w.unitId &&
    row.startDate === w.startDate &&
    row.state === w.state
  );
}

/** Another write of the same identity landed between this one's read and its write. */
class LostRace extends Error {}

/**
 * PUT /api/integration/identities/{userId}: creates or updates one identity, idempotently
 * (the same body twice changes nothing the second time), and starts an initial password for a
 * new identity or one back after being ended and inactive (otherwise the old password still
 * applies). `actor` is the audit actor (a service token or an administrator).
 *
 * An HR system may retry while its first try is still running, or send two versions at
 * once. A write that loses such a race is done once more on what won, as if it had come
 * second: an identical copy then changes nothing (200), a different one updates. Only a
 * second lost race in a row is a 409 for the caller to retry.
 */
export async function upsertIdentity(
  deps: Deps,
  input: ValidIdentity,
  actor: string,
): Promise<UpsertResult> {
  try {
    return await upsertOnce(deps, input, actor);
  } catch (err) {
    if (!(err instanceof LostRace)) throw err;
  }
  try {
    return await upsertOnce(deps, input, actor);
  } catch (err) {
    if (err instanceof LostRace) throw new ApiError('conflict');
    throw err;
  }
}

async function upsertOnce(deps: Deps, input: ValidIdentity, actor: string): Promise<UpsertResult> {
  const now = nowSeconds();
  const today = swedishDate(now);
  const index = await pnrIndex(deps, input.pnr.canonical);
  const [holder, existing] = await Promise.all([
    userIdByPnrIndex(deps.db, index),
    findIdentityByUserId(deps.db, input.userId),
  ]);
  if (holder !== null && holder !== input.userId) {
    // Which user id holds it is not said: the caller may not know that person.
    throw new ApiError('conflict', {
      issues: [{ path: 'personalNumber', message: 'Another user id has this personal number' }],
    });
  }
  const id = existing?.id ?? newId();
  const write: IdentityWrite = {
    id,
    userId: input.userId,
    givenName: input.givenName,
    familyName: input.familyName,
    givenKey: searchKey(input.givenName),
    familyKey: searchKey(input.familyName),
    fullKey: searchKey(`${input.givenName} ${input.familyName}`),
    pnrSealed:
      existing && existing.pnrIndex === index
        ? existing.pnrSealed
        : await seal(input.pnr.canonical, pnrContext(id), deps.cfg.dataKey),
    pnrIndex: index,
    birthIndex: await birthIndex(deps, birthDigits(input.pnr.canonical)),
    pnrMasked: input.pnr.masked,
    hsaId: input.hsaId,
    unitId: input.unitId,
    startDate: input.startDate,
    state: input.state,
  };
  const reason = initialPasswordReason(
    existing?.state ?? null,
    input.state,
    input.startDate,
    today,
  );
  // The employment ended before the first login: nobody should sign in with the password.
  const withdraw =
    !reason &&
    withdrawsInitialPassword(input.state) &&
    existing?.initial?.sealed != null &&
    existing.initial.firstLoginAt === null;
  if (existing && !reason && sameIdentity(existing, write)) {
    return {
      identity: identitySummary(existing, today),
      created: false,
      changed: false,
      initialPassword: 'none',
    };
  }
  const statements = [
    existing
      ? updateIdentityStatement(deps.db, write, existing.version, now)
      : insertIdentityStatement(deps.db, write, now),
  ];
  if (reason) {
    const password = generatePassword(deps.cfg.policy, { username: input.userId });
    const sealed = await seal(password, initialPasswordContext(id), deps.cfg.dataKey);
    const directory = deps.cfg.identities.directory ? 'pending' : null;
    statements.push(startInitialPasswordStatement(deps.db, id, sealed, reason, now, directory));
  } else if (withdraw) {
    statements.push(withdrawInitialPasswordStatement(deps.db, id, now));
  }
  statements.push(
    auditStatement(
      deps.db,
      {
        actor,
        action: existing ? 'identity.update' : 'identity.create',
        target: `identity:${id}`,
        ip: deps.ip,
        outcome: 'success',
        unitId: input.unitId,
        detail: {
          userId: input.userId,
          state: input.state,
          ...(existing && existing.state !== input.state ? { previousState: existing.state } : {}),
          ...(existing && existing.unitId !== input.unitId
            ? { previousUnit: existing.unitId }
            : {}),
          initialPassword: reason ?? (withdraw ? 'withdrawn' : 'none'),
        },
      },
      now,
    ),
  );
  let results: D1Result[];
  try {
    results = await deps.db.batch(statements);
  } catch (err) {
    // Two upserts of one new user id (or personnummer) at once: the second insert fails.
    if (isUniqueViolation(err)) throw new LostRace();
    throw err;
  }
  // The version changed under an update: the batch is one transaction, so nothing was written.
  if (existing && results[0]?.meta.changes !== 1) throw new LostRace();
  const saved = await findIdentityById(deps.db, id);
  if (!saved) throw new ApiError('conflict');
  if (reason && saved.initial) {
    deps.background(() => notifyInitialPassword(deps, saved));
    // Starting today or earlier: the domain gets it at once, not at the next run.
    if (saved.initial.directory === 'pending' && saved.startDate <= today) {
      deps.background(() => writeInitialPassword(deps, saved, nowSeconds()));
    }
  }
  return {
    identity: identitySummary(saved, today),
    created: !existing,
    changed: true,
    initialPassword: reason ? 'started' : 'none',
  };
}

/**
 * How long a claim on a mail holds. The runtime ends background work 30 s after the answer
 * and a scheduled run after 15 minutes, so an older claim belongs to a run that stopped
 * between the claim and the send; the next daily run sends that mail after all.
 */
const CLAIM_LEASE_SECONDS = 3600;

/**
 * The unit's managers and delegates get an e-mail with a link straight to the identity; with
 * `daysLeft`, the reminder before the start date. Each is claimed before it is sent and
 * recorded as sent, or given back if nobody got it, so a daily run retrying it and another
 * run, or the import's own send, do not both send it. 'taken' means another caller holds it.
 */
async function notifyInitialPassword(
  deps: Deps,
  row: IdentityRow,
  daysLeft?: number,
): Promise<'sent' | 'failed' | 'taken'> {
  if (!row.initial) return 'failed';
  const recipients = await unitRecipients(deps.db, row.unitId);
  if (recipients.length === 0) return 'failed';
  const first = daysLeft === undefined;
  const kind = first ? 'notification' : 'reminder';
  const claimedAt = nowSeconds();
  const cycle = row.initial.createdAt;
  const stale = claimedAt - CLAIM_LEASE_SECONDS;
  if (!(await claimCycleMail(deps.db, kind, row.id, cycle, claimedAt, stale))) return 'taken';
  const message = initialPasswordMail({
    givenName: row.givenName,
    familyName: row.familyName,
    userId: row.userId,
    unitName: row.unitName,
    startDate: row.startDate,
    reason: row.initial.reason,
    link: pageUrl(deps.cfg.publicOrigin, identityPath(row.id)),
    support: deps.cfg.support,
    ...(daysLeft === undefined ? {} : { daysLeft }),
  });
  const provider = mailProvider(deps.env, deps.cfg);
  let sent = 0;
  try {
    for (const person of recipients) {
      const result = await sendMail(
        deps.db,
        provider,
        { to: person.email, ...message },
        first ? 'initial_password' : 'initial_password_reminder',
      );
      if (result.ok) sent++;
    }
  } finally {
    await finishCycleMail(deps.db, kind, row.id, cycle, claimedAt, sent > 0, nowSeconds());
  }
  return sent > 0 ? 'sent' : 'failed';
}

/**
 * Mails of one kind per scheduled run, soonest start first. A run may make at most 1,000 D1
 * queries and one mail costs about 4 plus one per recipient, so a run sends a bounded share
 * and leaves the rest to the next run.
 */
const MAILS_PER_RUN = 25;

/**
 * The new-hire mails to managers that failed (or whose sender stopped half-way) are sent again. Also from
 * the five-minute cron, so a mail provider that was down is retried within minutes.
 */
export async function retryInitialPasswordMails(deps: Deps, now: number) {
  const counts = { notified: 0, failed: 0 };
  for (const row of await unnotified(deps.db, now - CLAIM_LEASE_SECONDS, MAILS_PER_RUN)) {
    const outcome = await notifyInitialPassword(deps, row);
    if (outcome === 'sent') counts.notified++;
    else if (outcome === 'failed') counts.failed++;
  }
  return counts;
}

/**
 * From the daily cron: the retries of new-hire mails, and an initial password still unfetched
 * `reminderDaysBeforeStart` days before the start date is reminded once.
 */
export async function runInitialPasswordReminders(deps: Deps, now: number) {
  const retried = await retryInitialPasswordMails(deps, now);
  const counts = { ...retried, reminded: 0 };
  const stale = now - CLAIM_LEASE_SECONDS;
  const today = swedishDate(now);
  const lastStart = swedishDate(now + deps.cfg.identities.reminderDaysBeforeStart * 86_400);
  for (const row of await unfetchedStartingBy(deps.db, lastStart, stale, MAILS_PER_RUN)) {
    if (!row.initial) continue;
    const daysLeft = Math.max(0, daysBetween(today, row.startDate));
    const outcome = await notifyInitialPassword(deps, row, daysLeft);
    if (outcome === 'sent') counts.reminded++;
    else if (outcome === 'failed') counts.failed++;
  }
  console.log(JSON.stringify({ event: 'initial_password_reminders', ...counts }));
  return counts;
}

function unitsOf(p: PersonPrincipal): UnitFilter {
  const scope = unitScope(p);
  return scope.all ? 'all' : scope.unitIds;
}

/** An identity of one of the person's units, or 404 exactly as for one that does not exist. */
export async function identityInScope(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [IdentityRow | null],
) {
  // `found`: read along with the person's session (http/manager-reads.ts), or read here.
  const [row] = found ?? [await findIdentityById(deps.db, id)];
  if (!row || !canActOnUnit(p, row.unitId)) throw new ApiError('not_found');
  return row;
}

export const SEARCH_LIMIT = 10;

/**
 * How many people born on one day a search reads when it must unseal their personnummer to
 * keep those whose number goes on as typed: more than the ten shown, since some are dropped,
 * and bounded, since each costs a decryption.
 */
const BIRTH_CANDIDATES = 50;

/**
 * POST /api/manager/identities/search: at most ten identities of the person's own units, by user
 * id (prefix), full personnummer in any accepted form (exact, through the blind index), the
 * start of a personnummer from the birth date on (`YYYYMMDD` or `YYMMDD`, through the
 * birth-date index; digits typed after the date are compared with the unsealed number, which
 * never leaves this function), HSA-id (prefix) or name (word prefixes in either order, case
 * and diacritics ignored).
 */
export async function searchForPerson(deps: Deps, p: PersonPrincipal, q: string) {
  const text = q.trim();
  const queries: IdentityQuery[] = [];
  /** For each birth-date search, the 12-digit start a match must have. */
  const birthPrefixes = new Map<number, string>();
  const whole = looksLikePersonnummer(text) ? parsePersonnummer(text) : null;
  const prefixes = whole?.ok ? [] : personnummerPrefixes(text);
  const numberSearch: NumberSearch | null = whole?.ok
    ? { form: 'whole', masked: [maskPersonnummerStart(whole.value.canonical)] }
    : prefixes.length > 0
      ? {
          form: 'birth_date',
          masked: prefixes.map((x) => maskPersonnummerStart(x.canonicalPrefix)),
        }
      : null;
  if (whole?.ok) {
    queries.push({ kind: 'pnr', index: await pnrIndex(deps, whole.value.canonical), limit: 1 });
  } else {
    for (const prefix of prefixes) {
      const longer = prefix.canonicalPrefix.length > prefix.birthDigits.length;
      birthPrefixes.set(queries.length, prefix.canonicalPrefix);
      queries.push({
        kind: 'birth',
        index: await birthIndex(deps, prefix.birthDigits),
        limit: longer ? BIRTH_CANDIDATES : SEARCH_LIMIT,
      });
    }
  }
  const ranges: KeyRange[] = [];
  if (/^[A-Za-z0-9]+$/.test(text)) {
    const [lo, hi] = prefixRange(text.toLowerCase());
    ranges.push({ column: 'user_id', lo, hi });
  }
  if (looksLikeHsaIdPrefix(text)) {
    const [lo, hi] = prefixRange(text.toUpperCase());
    ranges.push({ column: 'hsa_id', lo, hi });
  }
  for (const range of ranges)
    queries.push({ kind: 'ranges', ranges: [range], limit: SEARCH_LIMIT });
  for (const search of nameSearches(searchKey(text))) {
    queries.push({ kind: 'ranges', ranges: search, limit: SEARCH_LIMIT });
  }
  const groups = await searchWithBudget(deps, p, numberSearch, queries);
  const seen = new Set<string>();
  const rows: IdentityRow[] = [];
  for (const [i, group] of groups.entries()) {
    const prefix = birthPrefixes.get(i);
    for (const row of group) {
      if (rows.length >= SEARCH_LIMIT) break;
      if (seen.has(row.id)) continue;
      if (prefix && prefix.length > 8 && !(await numberStartsWith(deps, row, prefix))) continue;
      seen.add(row.id);
      rows.push(row);
    }
  }
  const now = nowSeconds();
  // Before the answer, a call of its own: how many were found is known only now, and a
  // personnummer look-up must never go unaudited, as one after the answer could on a crash.
  if (numberSearch) await auditNumberSearch(deps, p, numberSearch, 'success', now, rows.length);
  const today = swedishDate(now);
  return rows.map((r) => identitySummary(r, today));
}

/**
 * A search through a personnummer index: a whole number (`whole`) or its start from the birth
 * date on (`birth_date`), with the masked forms of what was looked up (one per reading of a
 * date written without its century). Never the number as typed.
 */
interface NumberSearch {
  form: 'whole' | 'birth_date';
  masked: string[];
}

/**
 * Personnummer searches a person may make an hour, whole numbers and birth-date starts
 * together. Either can be used to unmask a number: a whole number answers yes or no for one
 * candidate, and a start with more digits after the date narrows the rest one digit at a
 * time. One shared budget keeps an attacker from spending both; 20 an hour leaves a manager
 * several look-ups while typing (the suggestions spend one per pause), and turns the some
 * 1,000 candidates behind a masked number into days of searching, each search audited.
 */
export const NUMBER_SEARCHES_PER_HOUR = 20;

function numberSearchLimit(p: PersonPrincipal): Limit {
  return {
    key: `identity-search:number:${p.personId}`,
    max: NUMBER_SEARCHES_PER_HOUR,
    windowSeconds: 3600,
  };
}

/**
 * The search's reads in one D1 call; a personnummer search counts one against the person's
 * budget in the same batch, and past it is audited there (only then) and answered 429.
 */
async function searchWithBudget(
  deps: Deps,
  p: PersonPrincipal,
  search: NumberSearch | null,
  queries: IdentityQuery[],
): Promise<IdentityRow[][]> {
  const units = unitsOf(p);
  if (!search) return searchIdentities(deps.db, units, queries);
  const now = nowSeconds();
  const limit = numberSearchLimit(p);
  const count = countStatement(deps.db, limit, now);
  const reads = searchIdentitiesReads(deps.db, units, queries);
  const [counted, , ...found] = await deps.db.batch([
    count.statement,
    auditWhereStatement(
      deps.db,
      numberSearchEntry(deps, p, search, 'refused'),
      now,
      overLimit(limit, now),
    ),
    ...reads.map((r) => r.statement),
  ]);
  const retryAfter = counted ? count.retryAfter(counted) : null;
  if (retryAfter !== null) throw retryError('rate_limited', retryAfter);
  return reads.map((r, i) => {
    const result = found[i];
    return result ? r.read(result) : [];
  });
}

/** Every personnummer search is in the audit log, with the masked forms only. */
function numberSearchEntry(
  deps: Deps,
  p: PersonPrincipal,
  search: NumberSearch,
  outcome: 'success' | 'refused',
  found?: number,
): AuditEntry {
  return {
    actor: `person:${p.personId}`,
    action: 'identity.search_pnr',
    ip: deps.ip,
    outcome,
    detail: {
      form: search.form,
      numbers: search.masked.join(' '),
      ...(found === undefined ? { result: 'rate_limited' } : { found }),
    },
  };
}

async function auditNumberSearch(
  deps: Deps,
  p: PersonPrincipal,
  search: NumberSearch,
  outcome: 'success' | 'refused',
  now: number,
  found?: number,
) {
  await audit(deps.db, numberSearchEntry(deps, p, search, outcome, found), now);
}

/** Whether the identity's personnummer (unsealed here, never returned) starts with `prefix`. */
async function numberStartsWith(deps: Deps, row: IdentityRow, prefix: string): Promise<boolean> {
  const canonical = await unseal(row.pnrSealed, pnrContext(row.id), deps.cfg.dataKey);
  return canonical?.startsWith(prefix) ?? false;
}

/**
 * Rows per scheduled run that get the birth-date index they were written without: one
 * SELECT, one UPDATE, and a decryption and an HMAC each, so a run stays well inside the
 * runtime's limits and a large register is done within a day of five-minute runs.
 */
export const BIRTH_BACKFILL_PER_RUN = 250;

/**
 * From the five-minute cron: identities written before the birth-date index existed get it,
 * from their sealed personnummer. A personnummer that cannot be unsealed (tampered with, or
 * under a key that is gone) is marked 'unreadable' so the next run moves on; it is logged by
 * id only. Ends with nothing to do once every row has its index.
 */
export async function backfillBirthIndexes(deps: Deps, limit = BIRTH_BACKFILL_PER_RUN) {
  const pending = await identitiesWithoutBirthIndex(deps.db, limit);
  if (pending.length === 0) return { filled: 0, unreadable: 0 };
  const rows: { id: string; pnrSealed: string; birthIndex: string }[] = [];
  const unreadable: string[] = [];
  for (const row of pending) {
    const canonical = await unseal(row.pnrSealed, pnrContext(row.id), deps.cfg.dataKey);
    if (canonical === null) unreadable.push(row.id);
    rows.push({
      ...row,
      birthIndex:
        canonical === null ? 'unreadable' : await birthIndex(deps, birthDigits(canonical)),
    });
  }
  const set = await setBirthIndexes(deps.db, rows);
  // `filled` counts the marked ones too: either way the row no longer waits for a run.
  const counts = { filled: set, unreadable: unreadable.length };
  if (unreadable.length > 0) {
    console.error(JSON.stringify({ event: 'personnummer_unreadable', identities: unreadable }));
  }
  console.log(JSON.stringify({ event: 'birth_index_backfill', ...counts }));
  return counts;
}

/** GET /api/manager/identities?due=true: the pick list behind the magnifier button. */
export async function dueForPerson(deps: Deps, p: PersonPrincipal) {
  const today = swedishDate(nowSeconds());
  return (await listDueIdentities(deps.db, unitsOf(p))).map((r) => identitySummary(r, today));
}

/** GET /api/manager/identities/{id}: the identity and its initial password's state. */
export async function identityDetail(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [IdentityRow | null],
) {
  const row = await identityInScope(deps, p, id, found);
  const today = swedishDate(nowSeconds());
  return {
    identity: identitySummary(row, today),
    initialPassword: initialPasswordView(deps, row, today),
    /** Whom a person without an initial password turns to for a reset: the service desk. */
    support: deps.cfg.support,
  };
}

/**
 * Whether the password signs in today: from the start date when the IdM sets it, and only
 * once written when Nyckel sets it in the domain.
 */
function usableNow(deps: Deps, row: IdentityRow, today: string): boolean {
  if (row.startDate > today) return false;
  return !deps.cfg.identities.directory || row.initial?.directory === 'written';
}

/**
 * Where the password stands in the domain, for the manager: 'idm' when the organisation's IdM
 * sets it (Nyckel only shows it); 'waiting' before the start date; 'pending' on or after it
 * while the write has not succeeded yet (with why); 'written' once the domain has it.
 */
function directoryView(deps: Deps, row: IdentityRow, today: string) {
  const i = row.initial;
  const iso = (s: number | null | undefined) =>
    s == null ? null : new Date(s * 1000).toISOString();
  if (!deps.cfg.identities.directory || !i || i.directory === null) {
    return { state: 'idm' as const, error: null, writtenAt: null, triedAt: null };
  }
  if (i.directory === 'written') {
    return {
      state: 'written' as const,
      error: null,
      writtenAt: iso(i.directoryWrittenAt),
      triedAt: null,
    };
  }
  return {
    state: row.startDate > today ? ('waiting' as const) : ('pending' as const),
    error: i.directoryError,
    writtenAt: null,
    triedAt: iso(i.directoryTriedAt),
  };
}

function initialPasswordView(deps: Deps, row: IdentityRow, today: string) {
  const i = row.initial;
  const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
  return {
    state: initialPasswordState(i),
    createdAt: iso(i?.createdAt ?? null),
    fetchCount: i?.fetchCount ?? 0,
    lastFetchedAt: iso(i?.lastFetchedAt ?? null),
    firstLoginAt: iso(i?.firstLoginAt ?? null),
    withdrawnAt: iso(i?.withdrawnAt ?? null),
    directory: directoryView(deps, row, today),
  };
}

/**
 * POST /api/manager/identities/{id}/initial-password (fresh strong sign-in): the password, the
 * same every time (it may be fetched many times; fetching never resets it), and an audit entry
 * per fetch. After the first login it is gone: 410.
 */
export async function fetchInitialPassword(
  deps: Deps,
  p: PersonPrincipal,
  id: string,
  found?: [IdentityRow | null],
) {
  const now = nowSeconds();
  const row = await identityInScope(deps, p, id, found);
  const entry = (outcome: 'success' | 'failure' | 'refused', result?: string) =>
    auditStatement(
      deps.db,
      {
        actor: `person:${p.personId}`,
        action: 'initial_password.fetch',
        target: `identity:${row.id}`,
        ip: deps.ip,
        outcome,
        unitId: row.unitId,
        detail: { userId: row.userId, ...(result ? { result } : {}) },
      },
      now,
    );
  const state = initialPasswordState(row.initial);
  if (!row.initial || state === 'none' || state === 'used' || row.initial.sealed === null) {
    await entry('refused', state).run();
    throw new ApiError(
      state === 'used'
        ? 'initial_password_used'
        : state === 'withdrawn'
          ? 'initial_password_withdrawn'
          : 'not_found',
    );
  }
  const password = await unseal(
    row.initial.sealed,
    initialPasswordContext(row.id),
    deps.cfg.dataKey,
  );
  if (password === null) {
    // Tampered with, copied from another identity, or under a key that is gone.
    await entry('failure', 'unreadable').run();
    console.error(JSON.stringify({ event: 'initial_password_unreadable', identity: row.id }));
    throw new ApiError('internal');
  }
  // The identity is read again at the end of the batch: if the first login (or the end of
  // the employment) came between the read and the write, it says which, without a third call.
  const after = findIdentityByIdRead(deps.db, row.id);
  const results = await deps.db.batch([
    recordFetchStatement(deps.db, row.id, now),
    entry('success'),
    after.statement,
  ]);
  if (results[0]?.meta.changes !== 1) {
    const current = results[2] ? after.read(results[2]) : null;
    throw new ApiError(
      initialPasswordState(current?.initial ?? null) === 'withdrawn'
        ? 'initial_password_withdrawn'
        : 'initial_password_used',
    );
  }
  const today = swedishDate(now);
  return {
    password,
    startDate: row.startDate,
    usableNow: usableNow(deps, row, today),
    fetchCount: row.initial.fetchCount + 1,
  };
}

/**
 * POST /api/integration/identities/{userId}/first-login: the person has logged in and chosen
 * their own password; the initial one is deleted. Idempotent: the first report's time stays.
 */
export async function recordFirstLogin(deps: Deps, userId: string, actor: string) {
  const now = nowSeconds();
  const row = await findIdentityByUserId(deps.db, userId);
  if (!row) throw new ApiError('not_found');
  if (!row.initial) {
    return { userId: row.userId, firstLoginAt: null, initialPassword: 'none' as const };
  }
  if (row.initial.firstLoginAt === null) {
    await deps.db.batch([
      ...firstLoginStatements(deps.db, row.id, now),
      auditStatement(
        deps.db,
        {
          actor,
          action: 'identity.first_login',
          target: `identity:${row.id}`,
          ip: deps.ip,
          outcome: 'success',
          unitId: row.unitId,
          detail: { userId: row.userId },
        },
        now,
      ),
    ]);
  }
  const saved = await findIdentityByUserId(deps.db, userId);
  const at = saved?.initial?.firstLoginAt ?? now;
  return {
    userId: row.userId,
    firstLoginAt: new Date(at * 1000).toISOString(),
    initialPassword: 'deleted' as const,
  };
}

/**
 * Tasks for the manager's home: initial passwords nobody has fetched yet, from the due list
 * (listDueIdentitiesRead) read with the rest of the page.
 */
export function identityTasks(due: IdentityRow[], now: number) {
  const today = swedishDate(now);
  return due
    .filter((r) => r.initial && r.initial.fetchCount === 0)
    .map((r) => ({
      kind: 'initial_password' as const,
      identityId: r.id,
      unitId: r.unitId,
      givenName: r.givenName,
      familyName: r.familyName,
      startDate: r.startDate,
      started: r.startDate <= today,
    }));
}
