import type { PersonPrincipal } from '../app-env';
import { isoFromSeconds, nowSeconds } from '../db/clock';
import { listManagedMailboxes, listUnitPeople } from '../db/manager';
import { passwordExpiresAt } from '../domain/mailbox-status';
import { maskPhone } from '../domain/phone';
import { rotationDates, routineLinks } from '../domain/routine';
import type { Deps } from './deps';
import { unitInScope } from './manager';
import { smsThreshold } from './rotation';

/*
 * The unit's routine (the mailbox guide: "Enhetschef ansvarar för att upprätta en lokal
 * rutin", which must say that the password is changed every three months
 * and how staff get the new one). Everything in it is what Nyckel already knows, so the
 * routine is generated, never written by hand, and is as current as the day it is printed.
 */

/**
 * GET /units/{id}/routine: for every member of the unit (managers, delegates) and
 * administrators; another unit's id answers 404 like one that does not exist. Links are built
 * from PUBLIC_ORIGIN, never from the Host header, since the routine is printed and shared.
 */
export async function unitRoutine(deps: Deps, p: PersonPrincipal, id: string) {
  const unit = await unitInScope(deps, p, id);
  const now = nowSeconds();
  const [mailboxes, people] = await Promise.all([
    listManagedMailboxes(deps.db, [unit.id], now),
    listUnitPeople(deps.db, unit.id, now),
  ]);
  const { policy, support, publicOrigin, reminderDays } = deps.cfg;
  return {
    unit: { id: unit.id, name: unit.name },
    links: routineLinks(publicOrigin, unit.id),
    mailboxes: mailboxes
      .filter((m) => m.disabledAt === null)
      .map((m) => ({
        id: m.id,
        username: m.username,
        displayName: m.displayName,
        hasPhone: m.phone !== null,
        phoneMasked: m.phone === null ? null : maskPhone(m.phone),
        passwordChangedAt: isoFromSeconds(m.passwordChangedAt),
        passwordExpiresAt: isoFromSeconds(
          passwordExpiresAt(m.passwordChangedAt, policy.maxAgeDays),
        ),
        rotationDates: rotationDates(m.passwordChangedAt, policy.maxAgeDays, now),
      })),
    people: people.map((person) => ({ name: person.name, email: person.email, role: person.role })),
    support,
    policy: {
      minLength: policy.minLength,
      minClasses: policy.minClasses,
      historyDepth: policy.historyDepth,
      maxAgeDays: policy.maxAgeDays,
    },
    reminders: {
      mailDays: [...reminderDays],
      smsDays: smsThreshold(reminderDays),
    },
    generatedAt: isoFromSeconds(now),
  };
}
