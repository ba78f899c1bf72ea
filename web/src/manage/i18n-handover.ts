import { createTexts } from '../i18n-core';
import { MANAGE_COMMON } from './i18n-glossary';

/** The words of the staff list and of sharing a new password with staff. */
export const handoverTexts = createTexts(
  {
    // Sharing after a reset on behalf
    shareButton: { sv: 'Dela med personalen', en: 'Share with staff' },
    shareOfferHint: {
      sv: 'Du kan dela det nya lösenordet med personalen de närmaste 15 minuterna. Var och en får en personlig länk på sms.',
      en: 'You can share the new password with staff for the next 15 minutes. Each person gets a personal link by text message.',
    },
    shareDone: {
      sv: 'Länkarna är skickade. Du ser nedan vem som har sett lösenordet.',
      en: 'The links are sent. Below you see who has seen the password.',
    },
    shareNoStaff: {
      sv: 'Enheten har ingen personal i listan ännu. Lägg till personal på enhetens sida först.',
      en: 'The unit has no staff on its list yet. Add staff on the unit’s page first.',
    },
    shareToUnit: { sv: 'Till enhetens personallista', en: 'To the unit’s staff list' },

    // The mailbox's recent handovers
    historyHeading: { sv: 'Delade lösenord', en: 'Shared passwords' },
    historyNone: {
      sv: 'Inget lösenord har delats med personalen ännu.',
      en: 'No password has been shared with staff yet.',
    },
    historySharedBy: { sv: 'Delat {when} av {who}', en: 'Shared {when} by {who}' },
    historySharedSelf: {
      sv: 'Delat {when} från brevlådans egen återställning eller byte',
      en: 'Shared {when} from the mailbox’s own reset or change',
    },
    historyOpenUntil: { sv: 'Länkarna gäller till {when}.', en: 'The links work until {when}.' },
    historyClosed: {
      sv: 'Lösenordet finns inte längre kvar att visa.',
      en: 'The password is no longer kept to be shown.',
    },
    recipientsLabel: { sv: 'Mottagare', en: 'Recipients' },
    state_sent: { sv: 'Skickad', en: 'Sent' },
    state_queued: { sv: 'Skickas', en: 'Sending' },
    state_viewed: { sv: 'Visad', en: 'Viewed' },
    state_expired: { sv: 'Utgången', en: 'Expired' },
    state_revoked: { sv: 'Återkallad', en: 'Revoked' },
    state_failed: { sv: 'Sms:et gick inte fram', en: 'The text message failed' },
    state_refused: {
      sv: 'Sms:et stoppades: för många sms till numret',
      en: 'The text message was stopped: too many to this number',
    },
    resend: { sv: 'Skicka ny länk', en: 'Send a new link' },
    resendLabel: { sv: 'Skicka ny länk till {name}', en: 'Send a new link to {name}' },
    linkResent: { sv: 'En ny länk är skickad till {name}.', en: 'A new link was sent to {name}.' },

    // The unit's staff list
    staffHeading: { sv: 'Personal', en: 'Staff' },
    staffIntro: {
      sv: 'Personalen loggar inte in i Nyckel. När ett nytt lösenord delas får de en personlig länk på sms till numret här.',
      en: 'Staff do not sign in to Nyckel. When a new password is shared they get a personal link by text message to the number here.',
    },
    staffNone: { sv: 'Ingen personal i listan ännu.', en: 'No staff on the list yet.' },
    staffListLabel: { sv: 'Personal i {unit}', en: 'Staff of {unit}' },
    staffAddHeading: { sv: 'Lägg till personal', en: 'Add staff' },
    staffPhoneHint: {
      sv: 'Till exempel 070-123 45 67. Länkarna skickas hit.',
      en: 'For example 070-123 45 67. The links are sent here.',
    },
    staffPhoneKeep: {
      sv: 'Lämna tomt för att behålla {phone}.',
      en: 'Leave empty to keep {phone}.',
    },
    staffAdd: { sv: 'Lägg till', en: 'Add' },
    staffAdded: { sv: '{name} är tillagd.', en: '{name} was added.' },
    staffEdit: { sv: 'Ändra', en: 'Change' },
    staffEditLabel: { sv: 'Ändra {name}', en: 'Change {name}' },
    staffEditHeading: { sv: 'Ändra {name}', en: 'Change {name}' },
    staffSave: { sv: 'Spara', en: 'Save' },
    staffSaved: { sv: 'Ändringen för {name} är sparad.', en: 'The change for {name} is saved.' },
    staffRemoveLabel: { sv: 'Ta bort {name}', en: 'Remove {name}' },
    staffRemoveHeading: { sv: 'Ta bort ur personallistan?', en: 'Remove from the staff list?' },
    staffRemoveBody: {
      sv: '{name} tas bort ur listan direkt. Länkar till {name} som inte har öppnats slutar gälla.',
      en: '{name} is removed from the list at once. Links to {name} that have not been opened stop working.',
    },
    staffRemoved: { sv: '{name} är borttagen.', en: '{name} was removed.' },
    errPhone: {
      sv: 'Skriv ett mobilnummer, till exempel 070-123 45 67.',
      en: 'Enter a mobile number, for example 070-123 45 67.',
    },
    errPhoneFormat: {
      sv: 'Mobilnumret ser inte rätt ut. Skriv till exempel 070-123 45 67.',
      en: 'The mobile number does not look right. Write for example 070-123 45 67.',
    },
    errPhoneNotMobile: {
      sv: 'Numret är inte ett mobilnummer. Länkarna skickas som sms.',
      en: 'The number is not a mobile number. The links are sent as text messages.',
    },
    errTaken: {
      sv: 'Någon i enhetens personal har redan det numret.',
      en: 'Someone on the unit’s staff already has that number.',
    },
  },
  MANAGE_COMMON,
);

export const useHT = handoverTexts.useTexts;
