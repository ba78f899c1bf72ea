import { budgetStatements, type Limit } from './counters';
import { type Db, firstRow } from './database';
/**
 * Handovers of a new mailbox password to staff: the sealed password, its share
 * offer, and one single-view link per recipient. Times are unix seconds. Every state change
 * that can race (sharing an offer, viewing a link, replacing a link) is a conditional UPDATE
 * whose changed-row count, or a claim value written by it, decides who won.
 */

export interface HandoverLinkView {
  id: string;
  staffId: string;
  staffName: string;
  staffPhone: string;
  staffRemoved: boolean;
  createdAt: number;
  expiresAt: number;
  sms: 'queued' | 'sent' | 'failed' | 'refused';
  sentAt: number | null;
  viewedAt: number | null;
  revokedAt: number | null;
  replacedBy: string | null;
}

export interface HandoverView {
  id: string;
  mailboxId: string;
  sharedAt: number;
  /** The sharing person's name (null if they are gone). */
  sharedByName: string | null;
  expiresAt: number;
  /** The sealed password still exists (someone can still view it). */
  open: boolean;
  links: HandoverLinkView[];
}

/** A share offer: the password just set, sealed, usable by its setter for a short while. */
export function insertOfferStatement(
  db: Db,
  o: { id: string; mailboxId: string; sealed: string; setter: string; at: number; until: number },
  guard: { sql: string; params: unknown[] } = { sql: '1', params: [] },
) {
  return db
    .prepare(
      `INSERT INTO handovers (id, mailbox_id, sealed, setter, created_at, offer_expires_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(o.id, o.mailboxId, o.sealed, o.setter, o.at, o.until, ...guard.params);
}

/**
 * The newest live offer of a setter for a mailbox (the mailbox's own flows: one session or
 * one reset sets one password, so the binding itself names the offer), or null.
 */
export async function findOfferOf(
  db: Db,
  mailboxId: string,
  setter: string,
  now: number,
): Promise<string | null> {
  const row = await offerOfStatement(db, '?', [mailboxId], setter, now).first<{ id: string }>();
  return row?.id ?? null;
}

/**
 * findOfferOf's statement for a batch, the mailbox named by an SQL expression (`?`, or a
 * subquery for the mailbox of a session or a reset); a row with `id`, or none.
 */
export function offerOfStatement(
  db: Db,
  mailboxSql: string,
  params: unknown[],
  setter: string,
  now: number,
) {
  return db
    .prepare(
      `SELECT id FROM handovers WHERE mailbox_id = ${mailboxSql} AND setter = ?
         AND shared_at IS NULL AND sealed IS NOT NULL AND offer_expires_at > ?
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .bind(...params, setter, now);
}

/**
 * Turns an offer into a handover, once: only for the same mailbox and setter, unshared,
 * unexpired, with its password still there. The claim guards the link inserts of the batch.
 */
export function claimOfferStatement(
  db: Db,
  c: {
    id: string;
    mailboxId: string;
    setter: string;
    claim: string;
    now: number;
    expiresAt: number;
  },
) {
  return db
    .prepare(
      `UPDATE handovers SET shared_at = ?, shared_by = ?, share_claim = ?, expires_at = ?
       WHERE id = ? AND mailbox_id = ? AND setter = ? AND shared_at IS NULL
         AND sealed IS NOT NULL AND offer_expires_at > ?`,
    )
    .bind(c.now, c.setter, c.claim, c.expiresAt, c.id, c.mailboxId, c.setter, c.now);
}

export interface NewLink {
  id: string;
  handoverId: string;
  staffId: string;
  tokenHash: string;
  at: number;
  expiresAt: number;
  /** The number the link's SMS goes to: the staff member's when the link was made. */
  phone: string;
}

/**
 * The person is still on the staff list at the number the SMS is about to go to: a removal
 * or a new number that lands while a share or a resend is under way wins over it.
 */
const STILL_LISTED = `EXISTS (SELECT 1 FROM staff st
  WHERE st.id = ? AND st.removed_at IS NULL AND st.phone = ?)`;

/**
 * Writes a link only if the share claim `claim` is the handover's (same batch) and the person
 * is still listed at that number.
 */
export function insertLinkStatement(db: Db, l: NewLink, claim: string) {
  return db
    .prepare(
      `INSERT INTO handover_links (id, handover_id, staff_id, token_hash, created_at, expires_at, sms)
       SELECT ?, ?, ?, ?, ?, ?, 'queued'
       WHERE EXISTS (SELECT 1 FROM handovers WHERE id = ? AND share_claim = ?)
         AND ${STILL_LISTED}`,
    )
    .bind(
      l.id,
      l.handoverId,
      l.staffId,
      l.tokenHash,
      l.at,
      l.expiresAt,
      l.handoverId,
      claim,
      l.staffId,
      l.phone,
    );
}

/**
 * Revokes `oldId` in favour of `l` while nobody has viewed it, nothing has replaced it yet and
 * the password still exists; the insert that follows in the batch only happens under that.
 */
export function replaceLinkStatements(db: Db, oldId: string, l: NewLink) {
  return [
    db
      .prepare(
        `UPDATE handover_links SET revoked_at = COALESCE(revoked_at, ?), replaced_by = ?
         WHERE id = ? AND handover_id = ? AND viewed_at IS NULL AND replaced_by IS NULL
           AND EXISTS (SELECT 1 FROM handovers h WHERE h.id = handover_links.handover_id
             AND h.sealed IS NOT NULL AND h.expires_at > ?)
           AND ${STILL_LISTED}`,
      )
      .bind(l.at, l.id, oldId, l.handoverId, l.at, l.staffId, l.phone),
    db
      .prepare(
        `INSERT INTO handover_links (id, handover_id, staff_id, token_hash, created_at, expires_at, sms)
         SELECT ?, ?, ?, ?, ?, ?, 'queued'
         WHERE EXISTS (SELECT 1 FROM handover_links WHERE id = ? AND replaced_by = ?)`,
      )
      .bind(l.id, l.handoverId, l.staffId, l.tokenHash, l.at, l.expiresAt, oldId, l.id),
  ];
}

/** The outcome of a link's SMS (refused by a budget, or what the provider said). */
export async function setLinkSms(
  db: Db,
  linkId: string,
  sms: 'sent' | 'failed' | 'refused',
  at: number,
) {
  await db
    .prepare('UPDATE handover_links SET sms = ?, sent_at = ? WHERE id = ?')
    .bind(sms, sms === 'sent' ? at : null, linkId)
    .run();
}

interface LinkViewRow {
  id: string;
  handover_id: string;
  staff_id: string;
  staff_name: string;
  staff_phone: string;
  staff_removed_at: number | null;
  created_at: number;
  expires_at: number;
  sms: HandoverLinkView['sms'];
  sent_at: number | null;
  viewed_at: number | null;
  revoked_at: number | null;
  replaced_by: string | null;
}

function toLinkView(r: LinkViewRow): HandoverLinkView {
  return {
    id: r.id,
    staffId: r.staff_id,
    staffName: r.staff_name,
    staffPhone: r.staff_phone,
    staffRemoved: r.staff_removed_at !== null,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    sms: r.sms,
    sentAt: r.sent_at,
    viewedAt: r.viewed_at,
    revokedAt: r.revoked_at,
    replacedBy: r.replaced_by,
  };
}

const LINK_SELECT = `SELECT l.id, l.handover_id, l.staff_id, s.name AS staff_name,
    s.phone AS staff_phone, s.removed_at AS staff_removed_at, l.created_at, l.expires_at, l.sms,
    l.sent_at, l.viewed_at, l.revoked_at, l.replaced_by
  FROM handover_links l JOIN staff s ON s.id = l.staff_id`;

interface HandoverRow {
  id: string;
  mailbox_id: string;
  shared_at: number;
  shared_by_name: string | null;
  expires_at: number;
  open: number;
}

/** The mailbox's shared handovers, newest first, with every link (replaced ones too). */
export async function listHandovers(
  db: Db,
  mailboxId: string,
  limit: number,
): Promise<HandoverView[]> {
  const { results } = await db
    .prepare(
      `SELECT h.id, h.mailbox_id, h.shared_at, p.name AS shared_by_name, h.expires_at,
         h.sealed IS NOT NULL AS open
       FROM handovers h LEFT JOIN people p ON 'person:' || p.id = h.shared_by
       WHERE h.mailbox_id = ? AND h.shared_at IS NOT NULL
       ORDER BY h.shared_at DESC, h.id LIMIT ?`,
    )
    .bind(mailboxId, limit)
    .all<HandoverRow>();
  if (results.length === 0) return [];
  const links = await db
    .prepare(
      `${LINK_SELECT} WHERE l.handover_id IN (SELECT value FROM json_each(?))
       ORDER BY s.name, l.created_at, l.id`,
    )
    .bind(JSON.stringify(results.map((r) => r.id)))
    .all<LinkViewRow>();
  return results.map((h) => ({
    id: h.id,
    mailboxId: h.mailbox_id,
    sharedAt: h.shared_at,
    sharedByName: h.shared_by_name,
    expiresAt: h.expires_at,
    open: h.open === 1,
    links: links.results.filter((l) => l.handover_id === h.id).map(toLinkView),
  }));
}

/** One link of one handover of one mailbox, or null when any of the three does not match. */
export async function findLink(
  db: Db,
  ids: { mailboxId: string; handoverId: string; linkId: string },
) {
  const row = await db
    .prepare(
      `${LINK_SELECT} JOIN handovers h ON h.id = l.handover_id
       WHERE l.id = ? AND l.handover_id = ? AND h.mailbox_id = ? AND h.shared_at IS NOT NULL`,
    )
    .bind(ids.linkId, ids.handoverId, ids.mailboxId)
    .first<LinkViewRow>();
  return row ? toLinkView(row) : null;
}

/** Whether a shared handover's password still exists and has not reached its 24 hours. */
export async function handoverOpen(db: Db, handoverId: string, now: number) {
  const row = await db
    .prepare('SELECT 1 AS x FROM handovers WHERE id = ? AND sealed IS NOT NULL AND expires_at > ?')
    .bind(handoverId, now)
    .first();
  return row !== null;
}

/** What the page opened from a link shows before anything is spent. */
export interface LinkByToken {
  id: string;
  handoverId: string;
  staffId: string;
  expiresAt: number;
  viewedAt: number | null;
  revokedAt: number | null;
  mailboxId: string;
  username: string;
  displayName: string;
  unitName: string | null;
}

export async function findLinkByToken(db: Db, tokenHash: string): Promise<LinkByToken | null> {
  return readLinkByToken(await linkByTokenStatement(db, tokenHash).all());
}

/** findLinkByToken's statement, for a batch; readLinkByToken reads its result. */
export function linkByTokenStatement(db: Db, tokenHash: string) {
  return db
    .prepare(
      `SELECT l.id, l.handover_id, l.staff_id, l.expires_at, l.viewed_at, l.revoked_at,
         m.id AS mailbox_id, m.username, m.display_name, u.name AS unit_name
       FROM handover_links l
       JOIN handovers h ON h.id = l.handover_id
       JOIN mailboxes m ON m.id = h.mailbox_id
       LEFT JOIN units u ON u.id = m.unit_id
       WHERE l.token_hash = ?`,
    )
    .bind(tokenHash);
}

export function readLinkByToken(result: D1Result | undefined): LinkByToken | null {
  const row = firstRow<{
    id: string;
    handover_id: string;
    staff_id: string;
    expires_at: number;
    viewed_at: number | null;
    revoked_at: number | null;
    mailbox_id: string;
    username: string;
    display_name: string;
    unit_name: string | null;
  }>(result);
  if (!row) return null;
  return {
    id: row.id,
    handoverId: row.handover_id,
    staffId: row.staff_id,
    expiresAt: row.expires_at,
    viewedAt: row.viewed_at,
    revokedAt: row.revoked_at,
    mailboxId: row.mailbox_id,
    username: row.username,
    displayName: row.display_name,
    unitName: row.unit_name,
  };
}

/**
 * The single view, in one batch (one transaction): mark the link viewed if it is still
 * unviewed, unrevoked and unexpired; read the sealed password under that mark; then drop the
 * password if no other link can still view it. Two parallel views: one UPDATE changes the
 * row, the other changes nothing and reads nothing.
 */
export async function viewLink(
  db: Db,
  v: {
    tokenHash: string;
    claim: string;
    now: number;
    /** The view's audit entry, written under the guard it is given (this view won). */
    audit: (claimed: { sql: string; params: unknown[] }) => D1PreparedStatement;
  },
): Promise<
  | { won: true; handoverId: string; sealed: string | null }
  | { won: false; fresh: LinkByToken | null }
> {
  const claimed = {
    sql: 'EXISTS (SELECT 1 FROM handover_links WHERE token_hash = ? AND view_claim = ?)',
    params: [v.tokenHash, v.claim] as unknown[],
  };
  const [won, read, , , fresh] = await db.batch([
    db
      .prepare(
        `UPDATE handover_links SET viewed_at = ?, view_claim = ?
         WHERE token_hash = ? AND viewed_at IS NULL AND revoked_at IS NULL AND expires_at > ?
           AND EXISTS (SELECT 1 FROM handovers h WHERE h.id = handover_links.handover_id
             AND h.sealed IS NOT NULL AND h.expires_at > ?)`,
      )
      .bind(v.now, v.claim, v.tokenHash, v.now, v.now),
    db
      .prepare(
        `SELECT h.id, h.sealed FROM handovers h JOIN handover_links l ON l.handover_id = h.id
         WHERE l.token_hash = ? AND l.view_claim = ?`,
      )
      .bind(v.tokenHash, v.claim),
    closeFinishedStatement(db, v.now, {
      sql: 'id = (SELECT handover_id FROM handover_links WHERE token_hash = ? AND view_claim = ?)',
      bind: [v.tokenHash, v.claim],
    }),
    v.audit(claimed),
    linkByTokenStatement(db, v.tokenHash),
  ]);
  const row = firstRow<{ id: string; sealed: string | null }>(read);
  if (won?.meta.changes !== 1 || !row) return { won: false, fresh: readLinkByToken(fresh) };
  return { won: true, handoverId: row.id, sealed: row.sealed };
}

/**
 * Deletes the sealed password of shared handovers (within `scope`) that no link can view any
 * more: every link viewed, revoked or expired, or the 24 hours over.
 */
export function closeFinishedStatement(
  db: Db,
  now: number,
  scope: { sql: string; bind: (string | number)[] },
) {
  return db
    .prepare(
      `UPDATE handovers SET sealed = NULL
       WHERE sealed IS NOT NULL AND shared_at IS NOT NULL AND (${scope.sql})
         AND (expires_at <= ? OR NOT EXISTS (SELECT 1 FROM handover_links l
           WHERE l.handover_id = handovers.id AND l.viewed_at IS NULL
             AND l.revoked_at IS NULL AND l.expires_at > ?))`,
    )
    .bind(...scope.bind, now, now);
}

/** Handovers a staff member has links in (to close after revoking theirs). */
export function staffScope(staffId: string) {
  return {
    sql: 'id IN (SELECT handover_id FROM handover_links WHERE staff_id = ?)',
    bind: [staffId],
  };
}

/** Revokes a staff member's links that nobody has opened yet. */
export function revokeStaffLinksStatement(db: Db, staffId: string, now: number) {
  return db
    .prepare(
      `UPDATE handover_links SET revoked_at = ?
       WHERE staff_id = ? AND viewed_at IS NULL AND revoked_at IS NULL`,
    )
    .bind(now, staffId);
}

/**
 * For the hourly cleanup: lapsed offers and finished handovers lose their password; offers
 * never shared are deleted after a day (nothing refers to them).
 */
export function handoverCleanupStatements(db: Db, now: number, before: number) {
  return [
    db
      .prepare(
        'UPDATE handovers SET sealed = NULL WHERE sealed IS NOT NULL AND shared_at IS NULL AND offer_expires_at <= ?',
      )
      .bind(now),
    closeFinishedStatement(db, now, { sql: '1 = 1', bind: [] }),
    db
      .prepare('DELETE FROM handovers WHERE shared_at IS NULL AND offer_expires_at < ?')
      .bind(before),
    // Who saw which password when is worth a quarter's questions; the audit log keeps the rest.
    db
      .prepare(
        'DELETE FROM handover_links WHERE handover_id IN (SELECT id FROM handovers WHERE shared_at < ?)',
      )
      .bind(now - HANDOVER_RETENTION_SECONDS),
    db.prepare('DELETE FROM handovers WHERE shared_at < ?').bind(now - HANDOVER_RETENTION_SECONDS),
  ];
}

/** How long a shared handover and its links stay listed on the mailbox page. */
export const HANDOVER_RETENTION_SECONDS = 90 * 86_400;

/** A guard that holds once this request's claim is the offer's (claimOfferStatement won). */
export function shareClaimGuard(handoverId: string, claim: string) {
  return {
    sql: 'EXISTS (SELECT 1 FROM handovers WHERE id = ? AND share_claim = ?)',
    params: [handoverId, claim] as unknown[],
  };
}

/**
 * A new link's SMS counted against its number's budgets and then the day's (budgetStatements),
 * nothing for a link the batch did not insert; a refusal marks the link 'refused'. `hits`
 * reads the counts from the batch's results starting at the first of these statements.
 */
export function linkBudgetStatements(
  db: Db,
  linkId: string,
  limits: readonly Limit[],
  day: Limit,
  now: number,
) {
  const inserted = {
    sql: 'EXISTS (SELECT 1 FROM handover_links WHERE id = ?)',
    params: [linkId] as unknown[],
  };
  const budget = budgetStatements(db, limits, day, now, inserted);
  return {
    statements: [
      ...budget.statements,
      db
        .prepare(
          `UPDATE handover_links SET sms = 'refused', sent_at = ? WHERE id = ?
             AND NOT (${budget.allWithin.sql})`,
        )
        .bind(now, linkId, ...budget.allWithin.params),
    ],
    hits: budget.hits,
  };
}

/**
 * The audit entry of a share, written only with its claim: how many links the batch inserted
 * and how many of their texts a budget refused, counted from the rows themselves.
 */
export function shareAuditStatement(
  db: Db,
  a: {
    actor: string;
    mailboxId: string;
    ip: string | null;
    handoverId: string;
    claim: string;
    at: number;
  },
) {
  return db
    .prepare(
      `INSERT INTO audit (at, actor, action, target, ip, outcome, detail, unit_id)
       SELECT ?1, ?2, 'handover.share', 'mailbox:' || ?3, ?4, 'success',
         json_object('handover', ?5,
           'recipients', (SELECT COUNT(*) FROM handover_links WHERE handover_id = ?5),
           'refused', (SELECT COUNT(*) FROM handover_links WHERE handover_id = ?5
             AND sms = 'refused')),
         (SELECT unit_id FROM mailboxes WHERE id = ?3)
       WHERE EXISTS (SELECT 1 FROM handovers WHERE id = ?5 AND share_claim = ?6)`,
    )
    .bind(a.at, a.actor, a.mailboxId, a.ip, a.handoverId, a.claim);
}

/** The links of a handover and their SMS state, for the answer of the batch that made them. */
export function linkStatesStatement(db: Db, handoverId: string) {
  return db.prepare('SELECT id, sms FROM handover_links WHERE handover_id = ?').bind(handoverId);
}
