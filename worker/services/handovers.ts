import type { PersonPrincipal } from '../app-env';
import { type AuditEntry, audit, auditWhereStatement } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { consume, countStatement, type Limit } from '../db/counters';
import { type Db, firstRow } from '../db/database';
import {
  claimOfferStatement,
  findLink,
  type HandoverLinkView,
  handoverOpen,
  insertLinkStatement,
  insertOfferStatement,
  type LinkByToken,
  linkBudgetStatements,
  linkByTokenStatement,
  linkStatesStatement,
  listHandovers,
  type NewLink,
  offerOfStatement,
  readLinkByToken,
  replaceLinkStatements,
  setLinkSms,
  shareAuditStatement,
  shareClaimGuard,
  viewLink,
} from '../db/handovers';
import type { ManagedMailbox } from '../db/manager';
import { listStaff, type StaffMember, staffListStatement, staffOf } from '../db/staff';
import { clientNetwork } from '../domain/client-network';
import {
  HANDOVER_LIST_LIMIT,
  HANDOVER_SECONDS,
  handoverSms,
  handoverUrl,
  linkState,
  SHARE_OFFER_SECONDS,
} from '../domain/handover';
import { maskPhone } from '../domain/phone';
import { seal, unseal } from '../domain/sealed';
import { newId, newToken, tokenDigest } from '../domain/tokens';
import { ApiError, retryError } from '../http/errors';
import { sendSms, smsProvider } from '../outbound/sms';
import { consumeSmsBudget, dailyLimit, smsLimits } from './challenges';
import type { Deps } from './deps';

/*
 * Handing a new mailbox password to staff without anyone else seeing it. The password to share is
 * never taken from a client: the write that set it also stores it sealed as a short "share offer"
 * that only its setter can turn into links. Each recipient gets a personal single-view link by
 * SMS; only an HMAC of its 256-bit token is stored, and the sealed password is deleted once no
 * link can show it any more. No token, link or password ever reaches the audit or a log.
 */

/** The ciphertext is bound to its handover and purpose (AES-GCM additional data). */
const passwordContext = (handoverId: string) => `handover:${handoverId}:password`;

function actorOf(p: PersonPrincipal): string {
  return `person:${p.personId}`;
}

/** The binding of an offer made in a mailbox session (its hash, as the sessions table has it). */
export function mailboxSessionSetter(sessionHash: string): string {
  return `mailbox-session:${sessionHash}`;
}

/** The binding of an offer made by completing a reset. */
export function resetSetter(challengeId: string): string {
  return `reset:${challengeId}`;
}

/**
 * The statement that stores a share offer for a password being set; the caller puts it in
 * the same batch as the password write (after it: the write ends earlier offers).
 */
export async function shareOffer(
  deps: Deps,
  o: { mailboxId: string; password: string; setter: string; now: number },
  guard?: { sql: string; params: unknown[] },
) {
  const id = newId();
  const sealed = await seal(o.password, passwordContext(id), deps.cfg.dataKey);
  return {
    id,
    statement: insertOfferStatement(
      deps.db,
      {
        id,
        mailboxId: o.mailboxId,
        sealed,
        setter: o.setter,
        at: o.now,
        until: o.now + SHARE_OFFER_SECONDS,
      },
      guard,
    ),
  };
}

function recipientView(
  link: HandoverLinkView,
  handover: { open: boolean; expiresAt: number },
  now: number,
) {
  const state = linkState(link, now);
  return {
    linkId: link.id,
    staffId: link.staffId,
    name: link.staffName,
    phoneMasked: maskPhone(link.staffPhone),
    state,
    sms: link.sms,
    sentAt: link.sentAt === null ? null : isoFromSeconds(link.sentAt),
    viewedAt: link.viewedAt === null ? null : isoFromSeconds(link.viewedAt),
    expiresAt: isoFromSeconds(link.expiresAt),
    canResend:
      state !== 'viewed' &&
      link.replacedBy === null &&
      !link.staffRemoved &&
      handover.open &&
      handover.expiresAt > now,
  };
}

/** GET /mailboxes/{id}/handovers: the newest handovers, one row per recipient. */
export async function handoverList(deps: Deps, mailbox: ManagedMailbox) {
  const now = nowSeconds();
  const handovers = await listHandovers(deps.db, mailbox.id, HANDOVER_LIST_LIMIT);
  return handovers.map((h) => ({
    id: h.id,
    sharedAt: isoFromSeconds(h.sharedAt),
    sharedBy: h.sharedByName,
    expiresAt: isoFromSeconds(h.expiresAt),
    open: h.open && h.expiresAt > now,
    // A replaced link is history (the audit keeps it); the person's row is their newest link.
    recipients: h.links.filter((l) => l.replacedBy === null).map((l) => recipientView(l, h, now)),
  }));
}

interface Sending {
  link: NewLink;
  token: string;
  staff: StaffMember;
}

async function newLink(
  deps: Deps,
  handoverId: string,
  staff: StaffMember,
  now: number,
  expiresAt: number,
): Promise<Sending> {
  const token = newToken();
  return {
    token,
    staff,
    link: {
      id: newId(),
      handoverId,
      staffId: staff.id,
      tokenHash: await tokenDigest(deps.cfg.sessionSecret, token),
      at: now,
      expiresAt,
      phone: staff.phone,
    },
  };
}

/** Sends one link (the text carries the link and never the password) and records the outcome. */
async function deliver(
  deps: Deps,
  s: Sending,
  m: { mailboxId: string; username: string; sharedBy: string | null },
) {
  const body = handoverSms({
    username: m.username,
    sharedBy: m.sharedBy,
    url: handoverUrl(deps.cfg.publicOrigin.href, s.token),
  });
  const result = await sendSms(
    deps.db,
    smsProvider(deps.env, deps.cfg),
    { to: s.staff.phone, body },
    'handover_link',
  );
  const now = nowSeconds();
  await setLinkSms(deps.db, s.link.id, result.ok ? 'sent' : 'failed', now);
  await audit(
    deps.db,
    {
      actor: 'system',
      action: 'handover.sms',
      target: `mailbox:${m.mailboxId}`,
      ip: null,
      outcome: result.ok ? 'success' : 'failure',
      detail: {
        handover: s.link.handoverId,
        link: s.link.id,
        staff: s.staff.id,
        ...(result.ok ? {} : { error: result.error }),
      },
    },
    now,
  );
}

/** Recipients: the listed members of the mailbox's unit, or all of them; 400 otherwise. */
function pickRecipients(staff: StaffMember[], staffIds: string[] | undefined): StaffMember[] {
  if (staffIds === undefined) {
    if (staff.length === 0) {
      throw new ApiError('invalid_request', {
        issues: [{ path: 'staffIds', message: "The mailbox's unit has no staff to share with" }],
      });
    }
    return staff;
  }
  const byId = new Map(staff.map((s) => [s.id, s]));
  const issues = staffIds.flatMap((id, i) =>
    byId.has(id)
      ? []
      : [{ path: `staffIds.${i}`, message: "Not on the staff list of the mailbox's unit" }],
  );
  if (issues.length > 0) throw new ApiError('invalid_request', { issues });
  return staffIds.flatMap((id) => byId.get(id) ?? []);
}

async function recipientsFor(
  deps: Deps,
  mailbox: ShareMailbox,
  staffIds: string[] | undefined,
): Promise<StaffMember[]> {
  const staff = mailbox.unitId === null ? [] : await listStaff(deps.db, mailbox.unitId);
  return pickRecipients(staff, staffIds);
}

/** What sharing needs of the mailbox. */
interface ShareMailbox {
  id: string;
  unitId: string | null;
  username: string;
}

/** Who shares: the offer's binding, the audit actor, and the name the SMS gives (if any). */
interface Sharer {
  setter: string;
  actor: string;
  name: string | null;
}

/**
 * POST /mailboxes/{id}/handovers: turns the caller's own share offer into one personal link
 * per recipient, once. Everything is decided before anything is written: a bad recipient is
 * a 400 and the offer stays usable; an offer that is not the caller's, not this mailbox's,
 * used or lapsed is a 410. A budget refusal is reported per recipient, never a 500.
 */
export async function shareHandover(
  deps: Deps,
  p: PersonPrincipal,
  mailbox: ManagedMailbox,
  input: { shareOfferId: string; staffIds?: string[] },
) {
  const sharer = { setter: actorOf(p), actor: actorOf(p), name: p.name };
  const recipients = await recipientsFor(deps, mailbox, input.staffIds);
  return share(deps, sharer, mailbox, recipients, input.shareOfferId);
}

/**
 * What the mailbox's own flows read before sharing, in the batch that also reads the session
 * or the reset: the setter's newest live offer for the mailbox (named by an SQL expression)
 * and the staff of the mailbox's unit.
 */
export function offerAndStaffReads(
  db: Db,
  mailbox: { sql: string; params: unknown[] },
  setter: string,
  now: number,
): D1PreparedStatement[] {
  return [
    offerOfStatement(db, mailbox.sql, mailbox.params, setter, now),
    staffListStatement(
      db,
      `(SELECT unit_id FROM mailboxes WHERE id = ${mailbox.sql})`,
      mailbox.params,
    ),
  ];
}

/** offerAndStaffReads' results. */
export interface OfferAndStaff {
  offer: string | null;
  staff: StaffMember[];
}

export function readOfferAndStaff(results: readonly (D1Result | undefined)[]): OfferAndStaff {
  return {
    offer: firstRow<{ id: string }>(results[0])?.id ?? null,
    staff: staffOf(results[1]),
  };
}

/**
 * The staff to pick from, for whoever set the mailbox's password and still holds the offer
 * to share it (the mailbox's own flows). Without a live offer there is nothing to share, and
 * the unit's staff list (names, masked numbers) is not shown either: 410 share_unavailable.
 */
export function staffChoicesForOffer(read: OfferAndStaff) {
  if (read.offer === null) throw new ApiError('share_unavailable');
  return read.staff.map((s) => ({ id: s.id, name: s.name, phoneMasked: maskPhone(s.phone) }));
}

/** The mailbox's own flows: the setter's newest live offer, or 410 if there is none. */
export async function shareOwnOffer(
  deps: Deps,
  sharer: Sharer,
  mailbox: ShareMailbox,
  staffIds: string[] | undefined,
  read: OfferAndStaff,
) {
  const recipients = pickRecipients(read.staff, staffIds);
  if (read.offer === null) {
    await audit(deps.db, refuseEntry(deps, sharer, mailbox), nowSeconds());
    throw new ApiError('share_unavailable');
  }
  return share(deps, sharer, mailbox, recipients, read.offer);
}

/**
 * One batch: claims the offer, inserts one link per recipient still on the list, counts each
 * link's SMS against its number's budget and then the day's (a refusal marks the link
 * 'refused', so it is in the answer), and audits the share, or its refusal when the claim was
 * lost. The texts go out after the answer.
 */
async function share(
  deps: Deps,
  sharer: Sharer,
  mailbox: ShareMailbox,
  recipients: StaffMember[],
  handoverId: string,
) {
  const now = nowSeconds();
  const expiresAt = now + HANDOVER_SECONDS;
  const prepared = await Promise.all(
    recipients.map((s) => newLink(deps, handoverId, s, now, expiresAt)),
  );
  const claim = newId();
  const claimed = shareClaimGuard(handoverId, claim);
  const day = dailyLimit(deps);
  const budgets = prepared.map((s) =>
    linkBudgetStatements(deps.db, s.link.id, smsLimits(deps, { phone: s.staff.phone }), day, now),
  );
  const results = await deps.db.batch([
    claimOfferStatement(deps.db, {
      id: handoverId,
      mailboxId: mailbox.id,
      setter: sharer.setter,
      claim,
      now,
      expiresAt,
    }),
    ...prepared.map((s) => insertLinkStatement(deps.db, s.link, claim)),
    ...budgets.flatMap((b) => b.statements),
    shareAuditStatement(deps.db, {
      actor: sharer.actor,
      mailboxId: mailbox.id,
      ip: deps.ip,
      handoverId,
      claim,
      at: now,
    }),
    auditWhereStatement(deps.db, refuseEntry(deps, sharer, mailbox), now, {
      sql: `NOT ${claimed.sql}`,
      params: claimed.params,
    }),
    linkStatesStatement(deps.db, handoverId),
  ]);
  if (results[0]?.meta.changes !== 1) throw new ApiError('share_unavailable');
  // Someone removed or renumbered meanwhile gets no link and no SMS.
  const states = new Map(
    ((results[results.length - 1]?.results ?? []) as { id: string; sms: string }[]).map((r) => [
      r.id,
      r.sms,
    ]),
  );
  const sendings = prepared.filter((s) => states.has(s.link.id));
  // Each link's counts follow the claim and the inserts: its limits', then the day's.
  const refused = new Map<Sending, number>();
  let at = 1 + prepared.length;
  for (const [i, s] of prepared.entries()) {
    const budget = budgets[i];
    const hits = budget ? budget.hits(results.slice(at)) : [];
    at += budget?.statements.length ?? 0;
    if (states.get(s.link.id) === 'refused' && hits.length > 0) {
      refused.set(s, Math.max(...hits.map((h) => h.retryAfter)));
    }
  }
  const about = { mailboxId: mailbox.id, username: mailbox.username, sharedBy: sharer.name };
  deps.background(() =>
    Promise.all(sendings.filter((s) => !refused.has(s)).map((s) => deliver(deps, s, about))),
  );
  return {
    id: handoverId,
    sharedAt: isoFromSeconds(now),
    sharedBy: sharer.name,
    expiresAt: isoFromSeconds(expiresAt),
    open: true,
    recipients: sendings.map((s) => ({
      ...recipientView(
        {
          id: s.link.id,
          staffId: s.staff.id,
          staffName: s.staff.name,
          staffPhone: s.staff.phone,
          staffRemoved: false,
          createdAt: now,
          expiresAt,
          sms: refused.has(s) ? 'refused' : 'queued',
          sentAt: null,
          viewedAt: null,
          revokedAt: null,
          replacedBy: null,
        },
        { open: true, expiresAt },
        now,
      ),
      ...(refused.has(s) ? { retryAfter: refused.get(s) } : {}),
    })),
  };
}

function refuseEntry(deps: Deps, sharer: Sharer, mailbox: ShareMailbox): AuditEntry {
  return {
    actor: sharer.actor,
    action: 'handover.share',
    target: `mailbox:${mailbox.id}`,
    ip: deps.ip,
    outcome: 'refused',
    detail: { reason: 'offer_unavailable' },
  };
}

/**
 * POST /mailboxes/{id}/handovers/{handoverId}/links/{linkId}/resend: a fresh link to the same
 * person (the old one is revoked in the same batch), while the password still exists and the
 * person has not viewed it; to the person's current number. 409 for a viewed, replaced or
 * removed person's link.
 */
export async function resendLink(
  deps: Deps,
  p: PersonPrincipal,
  mailbox: ManagedMailbox,
  ids: { handoverId: string; linkId: string },
) {
  const now = nowSeconds();
  const old = await findLink(deps.db, { mailboxId: mailbox.id, ...ids });
  if (!old) throw new ApiError('not_found');
  // A link revoked by a new number may be sent again (to the new number); one already
  // replaced, viewed, or of a removed person may not.
  if (old.viewedAt !== null || old.replacedBy !== null || old.staffRemoved) {
    throw new ApiError('conflict');
  }
  if (!(await handoverOpen(deps.db, ids.handoverId, now))) throw new ApiError('share_unavailable');
  const staff: StaffMember = {
    id: old.staffId,
    unitId: mailbox.unitId ?? '',
    name: old.staffName,
    phone: old.staffPhone,
    createdAt: old.createdAt,
    updatedAt: old.createdAt,
  };
  const sending = await newLink(deps, ids.handoverId, staff, now, old.expiresAt);
  const hits = await consumeSmsBudget(deps, smsLimits(deps, { phone: staff.phone }), now);
  if (hits.length > 0) throw retryError('rate_limited', Math.max(...hits.map((h) => h.retryAfter)));
  const [replaced] = await deps.db.batch(replaceLinkStatements(deps.db, old.id, sending.link));
  // Lost a race with a view, a removal or another resend.
  if (replaced?.meta.changes !== 1) throw new ApiError('conflict');
  await audit(
    deps.db,
    {
      actor: actorOf(p),
      action: 'handover.resend',
      target: `mailbox:${mailbox.id}`,
      ip: deps.ip,
      outcome: 'success',
      detail: {
        handover: ids.handoverId,
        link: sending.link.id,
        replaces: old.id,
        staff: staff.id,
      },
    },
    now,
  );
  deps.background(() =>
    deliver(deps, sending, {
      mailboxId: mailbox.id,
      username: mailbox.username,
      sharedBy: p.name,
    }),
  );
  return recipientView(
    { ...old, id: sending.link.id, createdAt: now, sms: 'queued', sentAt: null },
    { open: true, expiresAt: old.expiresAt },
    now,
  );
}

// --- The public link -------------------------------------------------------------------------

/** Unknown tokens allowed per client address in 15 minutes (tokens cannot be guessed). */
const BAD_TOKENS_PER_ADDRESS = 20;

function badTokenLimit(deps: Deps): Limit {
  return {
    key: `handover:bad-token:${clientNetwork(deps.ip)}`,
    max: BAD_TOKENS_PER_ADDRESS,
    windowSeconds: 900,
  };
}

/**
 * Looks the token up together with the address's count of unknown tokens (one read); an
 * address that has sent too many is refused first. An unknown token is counted (one write).
 */
async function linkFor(deps: Deps, tokenHash: string, now: number) {
  const limit = badTokenLimit(deps);
  const [counted, found] = await deps.db.batch([
    countStatement(deps.db, limit, now),
    linkByTokenStatement(deps.db, tokenHash),
  ]);
  if ((firstRow<{ count: number }>(counted)?.count ?? 0) >= limit.max) {
    throw retryError('rate_limited', limit.windowSeconds - (now % limit.windowSeconds));
  }
  const link = readLinkByToken(found);
  if (!link) {
    const [hit] = await consume(deps.db, [limit], now);
    if (hit) throw retryError('rate_limited', hit.retryAfter);
    throw new ApiError('handover_invalid');
  }
  return link;
}

/** POST /api/handovers/peek: whose password the link is for, and its state; spends nothing. */
export async function peekHandover(deps: Deps, token: string) {
  const now = nowSeconds();
  const link = await linkFor(deps, await tokenDigest(deps.cfg.sessionSecret, token), now);
  return {
    username: link.username,
    displayName: link.displayName,
    unitName: link.unitName,
    state: linkState(link, now),
    viewedAt: link.viewedAt === null ? null : isoFromSeconds(link.viewedAt),
    expiresAt: isoFromSeconds(link.expiresAt),
  };
}

/**
 * POST /api/handovers/reveal: the password, exactly once per link. Of parallel calls one
 * wins the conditional UPDATE; every other gets 410 with the state and when it was viewed.
 * One read (the link), then one batch: the view, its audit entry, and the link as it is
 * after it. A link that was already spent when read is refused with one write, its audit
 * entry.
 */
export async function revealHandover(deps: Deps, token: string) {
  const now = nowSeconds();
  const tokenHash = await tokenDigest(deps.cfg.sessionSecret, token);
  const link = await linkFor(deps, tokenHash, now);
  const entry = {
    actor: `staff:${link.staffId}`,
    action: 'handover.view',
    target: `mailbox:${link.mailboxId}`,
    ip: deps.ip,
  };
  const spent = (fresh: LinkByToken): ApiError => {
    const state = linkState(fresh, now);
    return new ApiError('handover_spent', {
      state: state === 'ready' ? 'expired' : state,
      viewedAt: fresh.viewedAt === null ? null : isoFromSeconds(fresh.viewedAt),
    });
  };
  const refused = (fresh: LinkByToken): AuditEntry => ({
    ...entry,
    outcome: 'refused',
    detail: { handover: link.handoverId, link: link.id, state: linkState(fresh, now) },
  });
  if (linkState(link, now) !== 'ready') {
    await audit(deps.db, refused(link), now);
    throw spent(link);
  }
  const viewed = await viewLink(deps.db, {
    tokenHash,
    claim: newId(),
    now,
    audit: (claimed) =>
      auditWhereStatement(
        deps.db,
        { ...entry, outcome: 'success', detail: { handover: link.handoverId, link: link.id } },
        now,
        claimed,
      ),
  });
  if (!viewed.won) {
    // Someone else viewed it first (or it ended a moment ago): say what happened and when;
    // the entry follows the answer.
    const fresh = viewed.fresh ?? link;
    deps.background(() => audit(deps.db, refused(fresh), now));
    throw spent(fresh);
  }
  const password =
    viewed.sealed === null
      ? null
      : await unseal(viewed.sealed, passwordContext(viewed.handoverId), deps.cfg.dataKey);
  if (password === null) {
    // A key missing after a rotation, or a tampered row: never a half answer.
    console.error(JSON.stringify({ event: 'handover_unseal_failed', handover: viewed.handoverId }));
    throw new ApiError('internal');
  }
  return {
    username: link.username,
    displayName: link.displayName,
    unitName: link.unitName,
    password,
    viewedAt: isoFromSeconds(now),
  };
}
