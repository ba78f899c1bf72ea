import type { PersonPrincipal } from '../app-env';
import { audit } from '../db/audit';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { consume, currentCount, type Limit } from '../db/counters';
import {
  claimOfferStatement,
  findLink,
  findLinkByToken,
  findOfferOf,
  type HandoverLinkView,
  handoverOpen,
  insertLinkStatement,
  insertOfferStatement,
  listHandovers,
  type NewLink,
  replaceLinkStatements,
  setLinkSms,
  viewLink,
} from '../db/handovers';
import type { ManagedMailbox } from '../db/manager';
import { listStaff, type StaffMember } from '../db/staff';
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
import { consumeSmsBudget, smsLimits } from './challenges';
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

/**
 * The unit's staff as the mailbox's own flows see them when picking recipients: names and
 * masked numbers only.
 */
export async function staffChoices(deps: Deps, mailbox: ShareMailbox) {
  if (mailbox.unitId === null) return [];
  const staff = await listStaff(deps.db, mailbox.unitId);
  return staff.map((s) => ({ id: s.id, name: s.name, phoneMasked: maskPhone(s.phone) }));
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

/**
 * Counts the SMS against the recipient number's budget and the global daily ceiling now, so
 * a refusal is in the answer; the send itself happens in the background.
 */
async function budgetFor(deps: Deps, s: Sending, now: number) {
  const hits = await consumeSmsBudget(deps, smsLimits(deps, { phone: s.staff.phone }), now);
  if (hits.length === 0) return null;
  await setLinkSms(deps.db, s.link.id, 'refused', now);
  return Math.max(...hits.map((h) => h.retryAfter));
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
async function recipientsFor(
  deps: Deps,
  mailbox: ShareMailbox,
  staffIds: string[] | undefined,
): Promise<StaffMember[]> {
  const staff = mailbox.unitId === null ? [] : await listStaff(deps.db, mailbox.unitId);
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
  return share(deps, sharer, mailbox, input);
}

/** The mailbox's own flows: the setter's newest live offer, or 410 if there is none. */
/**
 * The staff to pick from, for whoever set the mailbox's password and still holds the offer
 * to share it (the mailbox's own flows). Without a live offer there is nothing to share, and
 * the unit's staff list (names, masked numbers) is not shown either: 410 share_unavailable.
 */
export async function staffChoicesForOffer(deps: Deps, setter: string, mailbox: ShareMailbox) {
  if ((await findOfferOf(deps.db, mailbox.id, setter, nowSeconds())) === null) {
    throw new ApiError('share_unavailable');
  }
  return staffChoices(deps, mailbox);
}

export async function shareOwnOffer(
  deps: Deps,
  sharer: Sharer,
  mailbox: ShareMailbox,
  staffIds: string[] | undefined,
) {
  await recipientsFor(deps, mailbox, staffIds);
  const offer = await findOfferOf(deps.db, mailbox.id, sharer.setter, nowSeconds());
  if (offer === null) {
    await refuseShare(deps, sharer, mailbox, nowSeconds());
    throw new ApiError('share_unavailable');
  }
  return share(deps, sharer, mailbox, { shareOfferId: offer, staffIds });
}

function refuseShare(deps: Deps, sharer: Sharer, mailbox: ShareMailbox, now: number) {
  return audit(
    deps.db,
    {
      actor: sharer.actor,
      action: 'handover.share',
      target: `mailbox:${mailbox.id}`,
      ip: deps.ip,
      outcome: 'refused',
      detail: { reason: 'offer_unavailable' },
    },
    now,
  );
}

async function share(
  deps: Deps,
  sharer: Sharer,
  mailbox: ShareMailbox,
  input: { shareOfferId: string; staffIds?: string[] | undefined },
) {
  const recipients = await recipientsFor(deps, mailbox, input.staffIds);
  const now = nowSeconds();
  const expiresAt = now + HANDOVER_SECONDS;
  const handoverId = input.shareOfferId;
  const prepared = await Promise.all(
    recipients.map((s) => newLink(deps, handoverId, s, now, expiresAt)),
  );
  const claim = newId();
  const [claimed, ...inserted] = await deps.db.batch([
    claimOfferStatement(deps.db, {
      id: handoverId,
      mailboxId: mailbox.id,
      setter: sharer.setter,
      claim,
      now,
      expiresAt,
    }),
    ...prepared.map((s) => insertLinkStatement(deps.db, s.link, claim)),
  ]);
  if (claimed?.meta.changes !== 1) {
    await refuseShare(deps, sharer, mailbox, now);
    throw new ApiError('share_unavailable');
  }
  // Someone removed or renumbered meanwhile gets no link and no SMS.
  const sendings = prepared.filter((_, i) => inserted[i]?.meta.changes === 1);
  const refused = new Map<string, number>();
  for (const s of sendings) {
    const retryAfter = await budgetFor(deps, s, now);
    if (retryAfter !== null) refused.set(s.link.id, retryAfter);
  }
  await audit(
    deps.db,
    {
      actor: sharer.actor,
      action: 'handover.share',
      target: `mailbox:${mailbox.id}`,
      ip: deps.ip,
      outcome: 'success',
      detail: { handover: handoverId, recipients: sendings.length, refused: refused.size },
    },
    now,
  );
  const about = { mailboxId: mailbox.id, username: mailbox.username, sharedBy: sharer.name };
  deps.background(() =>
    Promise.all(
      sendings.filter((s) => !refused.has(s.link.id)).map((s) => deliver(deps, s, about)),
    ),
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
          sms: refused.has(s.link.id) ? 'refused' : 'queued',
          sentAt: null,
          viewedAt: null,
          revokedAt: null,
          replacedBy: null,
        },
        { open: true, expiresAt },
        now,
      ),
      ...(refused.has(s.link.id) ? { retryAfter: refused.get(s.link.id) } : {}),
    })),
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

/** Looks the token up; an address that has sent too many unknown tokens is refused first. */
async function linkFor(deps: Deps, token: string, now: number) {
  const limit = badTokenLimit(deps);
  if ((await currentCount(deps.db, limit, now)) >= limit.max) {
    throw retryError('rate_limited', limit.windowSeconds - (now % limit.windowSeconds));
  }
  const link = await findLinkByToken(deps.db, await tokenDigest(deps.cfg.sessionSecret, token));
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
  const link = await linkFor(deps, token, now);
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
 */
export async function revealHandover(deps: Deps, token: string) {
  const now = nowSeconds();
  const link = await linkFor(deps, token, now);
  const entry = {
    actor: `staff:${link.staffId}`,
    action: 'handover.view',
    target: `mailbox:${link.mailboxId}`,
    ip: deps.ip,
  };
  const tokenHash = await tokenDigest(deps.cfg.sessionSecret, token);
  const viewed = await viewLink(deps.db, { tokenHash, claim: newId(), now });
  if (!viewed) {
    // Someone else viewed it first (or it ended): say what happened and when.
    const fresh = (await findLinkByToken(deps.db, tokenHash)) ?? link;
    const state = linkState(fresh, now);
    await audit(
      deps.db,
      { ...entry, outcome: 'refused', detail: { handover: link.handoverId, link: link.id, state } },
      now,
    );
    throw new ApiError('handover_spent', {
      state: state === 'ready' ? 'expired' : state,
      viewedAt: fresh.viewedAt === null ? null : isoFromSeconds(fresh.viewedAt),
    });
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
  await audit(
    deps.db,
    { ...entry, outcome: 'success', detail: { handover: viewed.handoverId, link: link.id } },
    now,
  );
  return {
    username: link.username,
    displayName: link.displayName,
    unitName: link.unitName,
    password,
    viewedAt: isoFromSeconds(now),
  };
}
