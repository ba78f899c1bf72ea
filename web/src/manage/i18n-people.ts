import { createTexts, type TextKeyOf } from '../i18n-core';
import { MANAGE_COMMON } from './i18n-glossary';

/**
 * The texts of sign-in, enrolment and the manager's screens, Swedish first (klarspråk: short
 * sentences, the reader as "du"). Server error messages come localised from the API.
 */
const TEXT = {
  loadFailed: {
    sv: 'Det gick inte att hämta sidan. Kontrollera anslutningen och ladda om.',
    en: 'The page could not be loaded. Check your connection and reload.',
  },
  reload: { sv: 'Ladda om', en: 'Reload' },
  copy: { sv: 'Kopiera', en: 'Copy' },
  copied: { sv: 'Kopierat.', en: 'Copied.' },

  // Layout for signed-in people
  navLabel: { sv: 'Chefsverktyg', en: 'Manager tools' },
  navHome: { sv: 'Hem', en: 'Home' },
  signedInAs: { sv: 'Inloggad som {name}', en: 'Signed in as {name}' },
  signOut: { sv: 'Logga ut', en: 'Sign out' },

  // Signed out
  signedOutIdle: {
    sv: 'Du har loggats ut efter 30 minuter utan aktivitet. Logga in igen för att fortsätta.',
    en: 'You were signed out after 30 minutes without activity. Sign in again to continue.',
  },
  signedOutExpired: {
    sv: 'Din inloggning har upphört. Logga in igen för att fortsätta.',
    en: 'Your sign-in has ended. Sign in again to continue.',
  },
  signedOut: { sv: 'Du är utloggad.', en: 'You are signed out.' },
  forbiddenHeading: { sv: 'Du har inte behörighet', en: 'You do not have access' },
  forbiddenBody: {
    sv: 'Den här delen är bara för administratörer. Be en administratör om hjälp om du behöver den.',
    en: 'This part is for administrators only. Ask an administrator if you need it.',
  },
  nothingHereHeading: { sv: 'Det finns inget här', en: 'Nothing here' },
  notFoundBody: {
    sv: 'Sidan finns inte, eller så hör den till en enhet du inte har behörighet till.',
    en: 'The page does not exist, or it belongs to a unit you do not have access to.',
  },
  toHome: { sv: 'Till översikten', en: 'To the overview' },

  // Sign-in
  signInIntro: {
    sv: 'För chefer, ombud och administratörer. Du loggar in med det du valde när du fick din inbjudan.',
    en: 'For managers, delegates and administrators. Sign in with what you chose when you got your invite.',
  },
  signInPasskey: { sv: 'Logga in med lösenordsnyckel', en: 'Sign in with a passkey' },
  signInPasskeyHint: {
    sv: 'Du bekräftar med ansikte, fingeravtryck eller skärmlåsets kod på din mobil eller dator.',
    en: 'You confirm with your face, fingerprint or the screen lock on your phone or computer.',
  },
  or: { sv: 'eller', en: 'or' },
  useTotp: { sv: 'Använd engångskod från app', en: 'Use a one-time code from an app' },
  totpHeading: { sv: 'Engångskod från app', en: 'One-time code from an app' },
  totpCode: { sv: 'Engångskod (6 siffror)', en: 'One-time code (6 digits)' },
  totpMissing: {
    sv: 'Skriv de 6 siffrorna som appen visar just nu.',
    en: 'Type the 6 digits the app shows right now.',
  },
  signInEmailInvalid: {
    sv: 'Skriv din e-postadress i kommunen, till exempel anna.andersson@kommun.se.',
    en: 'Type your e-mail address at the municipality, for example anna.andersson@kommun.se.',
  },
  totpCodeHint: {
    sv: 'Koden som autentiseringsappen visar just nu, till exempel i Microsoft Authenticator.',
    en: 'The code the authenticator app shows right now, for example in Microsoft Authenticator.',
  },
  signInTotp: { sv: 'Logga in med koden', en: 'Sign in with the code' },
  signInCard: { sv: 'Logga in med SITHS-kort', en: 'Sign in with a SITHS card' },
  signInCardHint: {
    sv: 'Fungerar bara när kortet sitter i läsaren och webbläsaren har frågat efter ditt kort när du öppnade sidan.',
    en: 'Only works when the card is in the reader and the browser asked for your card when you opened the page.',
  },
  passkeyCancelled: {
    sv: 'Inloggningen med lösenordsnyckeln avbröts eller tog för lång tid. Försök igen.',
    en: 'The passkey sign-in was cancelled or took too long. Try again.',
  },
  passkeyUnsupported: {
    sv: 'Den här webbläsaren kan inte använda lösenordsnycklar. Använd engångskod från app i stället.',
    en: 'This browser cannot use passkeys. Use a one-time code from an app instead.',
  },
  passkeyFailed: {
    sv: 'Lösenordsnyckeln gick inte att använda. Försök igen, eller använd engångskod från app.',
    en: 'The passkey could not be used. Try again, or use a one-time code from an app.',
  },
  noAccount: {
    sv: 'Har du ingen inloggning? Du får en inbjudan med e-post från en administratör eller från chefen för din enhet.',
    en: 'No sign-in yet? You get an invite by e-mail from an administrator or from your unit’s manager.',
  },
  mailboxLink: {
    sv: 'Ska du byta lösenord för en brevlåda? Gå till startsidan.',
    en: 'Changing a mailbox’s password? Go to the start page.',
  },

  // Enrolment
  inviteHeading: { sv: 'Välkommen till Nyckel', en: 'Welcome to Nyckel' },
  inviteFor: {
    sv: 'Inbjudan gäller {name} ({email}). Den går att använda en gång, till och med {date}.',
    en: 'The invite is for {name} ({email}). It can be used once, until {date}.',
  },
  inviteChoose: {
    sv: 'Välj hur du vill logga in. Inga lösenord: du bekräftar på din mobil eller dator, eller med en kod från en app.',
    en: 'Choose how you want to sign in. No passwords: you confirm on your phone or computer, or with a code from an app.',
  },
  enrolPasskey: { sv: 'Skapa lösenordsnyckel', en: 'Create a passkey' },
  enrolPasskeyHint: {
    sv: 'Rekommenderas. Lösenordsnyckeln sparas på den här mobilen eller datorn, eller i din lösenordshanterare.',
    en: 'Recommended. The passkey is saved on this phone or computer, or in your password manager.',
  },
  enrolTotp: { sv: 'Använd autentiseringsapp', en: 'Use an authenticator app' },
  enrolTotpHint: {
    sv: 'För mobiler och datorer utan lösenordsnycklar. Du behöver en app som Microsoft Authenticator eller Google Authenticator.',
    en: 'For phones and computers without passkeys. You need an app such as Microsoft Authenticator or Google Authenticator.',
  },
  totpSetupHeading: { sv: 'Lägg till Nyckel i appen', en: 'Add Nyckel to the app' },
  totpStep1: {
    sv: 'Öppna autentiseringsappen och skanna QR-koden.',
    en: 'Open the authenticator app and scan the QR code.',
  },
  totpQrAlt: {
    sv: 'QR-kod för att lägga till Nyckel i autentiseringsappen',
    en: 'QR code to add Nyckel to the authenticator app',
  },
  totpOpenApp: {
    sv: 'Är appen på den här mobilen eller datorn? Öppna den direkt',
    en: 'Is the app on this phone or computer? Open it directly',
  },
  totpManual: {
    sv: 'Går det inte att skanna? Skriv in den här inställningsnyckeln i appen:',
    en: 'Cannot scan? Enter this key in the app:',
  },
  totpSecretLabel: { sv: 'Inställningsnyckel att skriva in', en: 'Key to enter' },
  totpStep2: {
    sv: 'Skriv sedan in koden som appen visar.',
    en: 'Then enter the code the app shows.',
  },
  totpConfirm: { sv: 'Bekräfta och logga in', en: 'Confirm and sign in' },
  chooseAgain: { sv: 'Välj ett annat sätt', en: 'Choose another way' },
  inviteInvalidHeading: { sv: 'Inbjudan fungerar inte', en: 'The invite does not work' },
  inviteMissing: {
    sv: 'Länken saknar sin kod. Öppna länken i e-postmeddelandet igen, hela länken.',
    en: 'The link is missing its code. Open the link in the e-mail again, the whole link.',
  },
  inviteAsk: {
    sv: 'Be om en ny inbjudan: chefer och administratörer från IT, ombud från chefen för sin enhet.',
    en: 'Ask for a new invite: managers and administrators from IT, delegates from their unit’s manager.',
  },
  enrolledNotice: {
    sv: 'Klart! Du är inloggad. Nästa gång loggar du in på {path} med det du just valde.',
    en: 'Done! You are signed in. Next time, sign in at {path} with what you just chose.',
  },

  // Step-up
  stepUpHeading: { sv: 'Bekräfta att det är du', en: 'Confirm it is you' },
  stepUpBody: {
    sv: 'Ändringar som den här kräver att du har bekräftat vem du är de senaste minuterna.',
    en: 'Changes like this one need you to have confirmed who you are in the last few minutes.',
  },
  stepUpPasskey: { sv: 'Bekräfta med lösenordsnyckel', en: 'Confirm with a passkey' },
  stepUpTotp: { sv: 'Bekräfta med koden', en: 'Confirm with the code' },
  stepUpCard: { sv: 'Bekräfta med SITHS-kort', en: 'Confirm with a SITHS card' },
  stepUpOtherPerson: {
    sv: 'Du bekräftade som en annan person. Ändringen gjordes inte.',
    en: 'You confirmed as another person. The change was not made.',
  },
  // Manager home
  homeIntro: {
    sv: 'Hej {name}! Här ser du brevlådorna i dina enheter: lösenord, nummer och vad som behöver göras.',
    en: 'Hello {name}! Here are the mailboxes of your units: passwords, numbers and what needs doing.',
  },
  tasksHeading: { sv: 'Att göra ({n})', en: 'To do ({n})' },
  tasksNone: {
    sv: 'Inget att göra just nu. Alla lösenord är bytta i tid och alla brevlådor har ett nummer.',
    en: 'Nothing to do right now. Every password is changed on time and every mailbox has a number.',
  },
  task_overdue: {
    sv: 'Lösenordet skulle ha bytts senast {date}.',
    en: 'The password should have been changed by {date}.',
  },
  task_due_soon: {
    sv: 'Lösenordet ska bytas senast {date} ({rel}).',
    en: 'The password must be changed by {date} ({rel}).',
  },
  task_locked: {
    sv: 'Låst efter för många felaktiga inloggningar, till {time}.',
    en: 'Locked after too many failed sign-ins, until {time}.',
  },
  task_locked_open: {
    sv: 'Låst efter för många felaktiga inloggningar.',
    en: 'Locked after too many failed sign-ins.',
  },
  task_no_phone: {
    sv: 'Inget mobilnummer. Ingen kan återställa lösenordet med sms-kod.',
    en: 'No mobile number. Nobody can reset the password with a text message code.',
  },
  noUnits: {
    sv: 'Du har inga enheter ännu. Be en administratör att ge dig en roll för din enhet.',
    en: 'You have no units yet. Ask an administrator to give you a role for your unit.',
  },
  noMailboxes: { sv: 'Enheten har inga brevlådor.', en: 'The unit has no mailboxes.' },
  unitLink: { sv: 'Ombud och logg för {unit}', en: 'Delegates and log for {unit}' },
  yourRole: { sv: 'Din roll: {role}', en: 'Your role: {role}' },
  role_manager: { sv: 'chef', en: 'manager' },
  role_delegate: { sv: 'ombud', en: 'delegate' },
  role_admin: { sv: 'administratör', en: 'administrator' },
  mailboxesOf: { sv: 'Brevlådor i {unit}', en: 'Mailboxes of {unit}' },
  colChanged: { sv: 'Lösenordet bytt', en: 'Password changed' },
  colDue: { sv: 'Nästa byte senast', en: 'Next change due' },
  colActivity: { sv: 'Senaste aktivitet', en: 'Latest activity' },
  noActivity: { sv: 'Ingen ännu', en: 'None yet' },

  // Status chips (text, not colour only)
  status_due_soon: { sv: 'Snart dags', en: 'Due soon' },
  status_no_phone: { sv: 'Inget nummer', en: 'No number' },

  // A mailbox
  backToOverview: { sv: 'Till översikten', en: 'To the overview' },
  factLocked: { sv: 'Låst till', en: 'Locked until' },
  factResetsPaused: {
    sv: 'Återställning med sms-kod pausad till',
    en: 'Reset by text message code paused until',
  },
  unlockHeading: { sv: 'Brevlådan är låst', en: 'The mailbox is locked' },
  unlockBody: {
    sv: 'Någon har skrivit fel lösenord för många gånger. Att låsa upp ändrar inte lösenordet.',
    en: 'Someone entered a wrong password too many times. Unlocking does not change the password.',
  },
  resetsPausedHeading: {
    sv: 'Återställning med sms-kod är pausad',
    en: 'Reset by text message code is paused',
  },
  resetsPausedBody: {
    sv: 'Någon har skrivit fel säkerhetskod för många gånger i dag, så koder för brevlådan prövas inte förrän efter midnatt. Lås upp om det är ni som försöker; då går det att återställa direkt. Lösenordet ändras inte.',
    en: 'Someone entered a wrong security code too many times today, so no code for the mailbox is checked until after midnight. Unlock if it is your staff who are trying; then a reset works straight away. The password does not change.',
  },
  unlock: { sv: 'Lås upp', en: 'Unlock' },
  unlockedHeading: { sv: 'Brevlådan är upplåst', en: 'The mailbox is unlocked' },
  unlockedBody: {
    sv: 'Lösenordet är detsamma som förut.',
    en: 'The password is the same as before.',
  },
  disabledBody: {
    sv: 'Brevlådan är avstängd av en administratör. Ingen kan logga in eller återställa den.',
    en: 'An administrator has disabled the mailbox. Nobody can sign in or reset it.',
  },
  resetOnBehalfHeading: {
    sv: 'Återställ lösenord åt brevlådan',
    en: 'Reset the mailbox’s password',
  },
  resetBody: {
    sv: 'Gör det när ingen kan lösenordet längre, eller när det måste bytas nu.',
    en: 'Do it when nobody knows the password any more, or when it must change now.',
  },
  resetConfirmHeading: {
    sv: 'Återställa lösenordet för {name}?',
    en: 'Reset the password of {name}?',
  },
  resetConfirmBody: { sv: 'Det här händer direkt:', en: 'This happens at once:' },
  resetConfirmOld: {
    sv: 'Det nuvarande lösenordet slutar gälla.',
    en: 'The current password stops working.',
  },
  resetConfirmSignOut: {
    sv: 'Alla som är inloggade i Nyckel med brevlådan loggas ut.',
    en: 'Everyone signed in to Nyckel with the mailbox is signed out.',
  },
  resetConfirmLinks: {
    sv: 'Länkar till det gamla lösenordet som ingen har öppnat slutar fungera.',
    en: 'Links to the old password that nobody has opened stop working.',
  },
  resetConfirmUnlock: { sv: 'Brevlådan låses upp.', en: 'The mailbox is unlocked.' },
  resetConfirmMail: {
    sv: 'Enhetens chef och ombud får ett mejl om bytet.',
    en: 'The unit’s manager and delegates get an e-mail about the change.',
  },
  resetConfirm: { sv: 'Återställ lösenordet', en: 'Reset the password' },
  resetAgain: { sv: 'Återställ igen', en: 'Reset again' },
  resetGenerate: { sv: 'Skapa ett lösenord åt mig', en: 'Create a password for me' },
  resetType: { sv: 'Skriv ett eget lösenord', en: 'Type a password myself' },
  generatedHeading: { sv: 'Det nya lösenordet', en: 'The new password' },
  generatedOnce: {
    sv: 'Lösenordet visas bara nu. Kopiera det eller skriv av det och ge det till kollegorna på det sätt er rutin säger, aldrig i en gruppchatt eller på en lapp.',
    en: 'The password is shown only now. Copy it or write it down and give it to your colleagues the way your routine says, never in a group chat or on a note.',
  },
  generatedLabel: { sv: 'Nytt lösenord för {username}', en: 'New password for {username}' },
  resetDone: {
    sv: 'Lösenordet är bytt. Nästa byte ska göras senast {date}.',
    en: 'The password is changed. The next change is due by {date}.',
  },
  mailboxAudit: { sv: 'Händelser för brevlådan', en: 'Events for the mailbox' },

  // A unit
  unitPeople: { sv: 'Personer med åtkomst', en: 'People with access' },
  unitPeopleNone: {
    sv: 'Ingen har en roll för enheten ännu.',
    en: 'Nobody has a role for the unit yet.',
  },
  you: { sv: '(du)', en: '(you)' },
  revoke: { sv: 'Ta bort som ombud', en: 'Remove as delegate' },
  revokeLabel: { sv: 'Ta bort som ombud: {name}', en: 'Remove as delegate: {name}' },
  revokeHeading: { sv: 'Ta bort ombudet?', en: 'Remove the delegate?' },
  revokeBody: {
    sv: '{name} förlorar åtkomsten till {unit} direkt och loggas ut om det inte finns någon annan roll kvar.',
    en: '{name} loses access to {unit} at once and is signed out unless another role is left.',
  },
  revoked: { sv: '{name} är inte längre ombud.', en: '{name} is no longer a delegate.' },
  inviteDelegateHeading: { sv: 'Bjud in ett ombud', en: 'Invite a delegate' },
  inviteDelegateBody: {
    sv: 'Ett ombud ser enhetens brevlådor, kan låsa upp dem och återställa lösenord åt dem, men kan inte lägga till eller ta bort ombud. Inbjudan skickas med e-post och gäller i 72 timmar.',
    en: 'A delegate sees the unit’s mailboxes, can unlock them and reset their passwords, but cannot add or remove delegates. The invite goes by e-mail and is valid for 72 hours.',
  },
  delegateEmailHint: {
    sv: 'Arbetsadressen. Inbjudan skickas dit.',
    en: 'The work address. The invite is sent there.',
  },
  sendInvite: { sv: 'Skicka inbjudan', en: 'Send the invite' },
  invited: {
    sv: 'Inbjudan är skickad till {email}.',
    en: 'The invite was sent to {email}.',
  },
  addedEnrolled: {
    sv: '{name} är nu ombud och kan logga in direkt.',
    en: '{name} is now a delegate and can sign in at once.',
  },
  unitAudit: { sv: 'Logg för enheten', en: 'Log for the unit' },
  unitRoutineLink: { sv: 'Enhetens rutin', en: 'The unit’s routine' },
  loadMore: { sv: 'Visa fler händelser', en: 'Show more events' },
  auditNone: { sv: 'Inga händelser ännu.', en: 'No events yet.' },
  colFrom: { sv: 'Varifrån', en: 'From where' },
  peopleOffline: {
    sv: 'Du är offline. Nyckel behöver en internetanslutning.',
    en: 'You are offline. Nyckel needs an internet connection.',
  },

  // New hires and their initial passwords
  navNewHires: { sv: 'Nyanställda', en: 'New hires' },
  homeNewHiresLink: {
    sv: 'Nyanställda: hämta initialt lösenord',
    en: 'New hires: fetch an initial password',
  },
  task_initial_password: {
    sv: 'Hämta initialt lösenord för {name}',
    en: 'Fetch the initial password for {name}',
  },
  task_initial_starts: { sv: 'Börjar {date}', en: 'Starts {date}' },
  task_initial_started: { sv: 'Började {date}', en: 'Started {date}' },
  status_initial_password: { sv: 'Nytt lösenord', en: 'New password' },
  newHiresHeading: { sv: 'Nyanställda', en: 'New hires' },
  newHiresIntro: {
    sv: 'Hämta det initiala lösenordet åt en ny medarbetare i din enhet och lämna det till personen. Sök på namn, användar-id, HSA-id eller personnummer.',
    en: 'Fetch the initial password for a new member of staff in your unit and hand it over to them. Search by name, user id, HSA-id or personal identity number.',
  },
  searchLabel: { sv: 'Sök person', en: 'Search for a person' },
  searchHint: {
    sv: 'Början av namnet (för- och efternamn i valfri ordning), användar-id, HSA-id eller personnummer från födelsedatum, till exempel 850612. Förslagen visas medan du skriver; välj med piltangenterna och Enter.',
    en: 'The start of the name (given and family name in any order), user id, HSA-id or personal identity number from the birth date, for example 850612. Suggestions appear as you type; choose with the arrow keys and Enter.',
  },
  searchSuggestions: { sv: 'Förslag', en: 'Suggestions' },
  searchCount: {
    sv: '{n} förslag. Välj med pil upp och pil ner.',
    en: '{n} suggestions. Use the up and down arrows.',
  },
  searchOne: {
    sv: '1 förslag. Välj med pil ner och Enter.',
    en: '1 suggestion. Use the down arrow and Enter.',
  },
  searchNone: { sv: 'Ingen träff på ”{q}”.', en: 'No match for “{q}”.' },
  searchTooShort: { sv: 'Skriv minst 2 tecken.', en: 'Type at least 2 characters.' },
  searchStarts: { sv: 'börjar {date}', en: 'starts {date}' },
  dueHeading: { sv: 'Lösenord att hämta', en: 'Passwords to fetch' },
  dueIntro: {
    sv: 'De här personerna i dina enheter har ett initialt lösenord som väntar. Välj en person.',
    en: 'These people in your units have an initial password waiting. Choose a person.',
  },
  dueNone: {
    sv: 'Det finns inga lösenord att hämta just nu.',
    en: 'There are no passwords to fetch right now.',
  },
  colPnr: { sv: 'Personnummer', en: 'Personal identity number' },
  colStart: { sv: 'Startdatum', en: 'Start date' },
  identityFacts: { sv: 'Uppgifter om personen', en: 'About the person' },
  factState: { sv: 'Status', en: 'State' },
  noHsaId: { sv: 'Inget', en: 'None' },
  identity_new: { sv: 'Ny', en: 'New' },
  identity_active: { sv: 'Aktiv', en: 'Active' },
  identity_ended: { sv: 'Avslutad', en: 'Ended' },
  identity_inactive: { sv: 'Inaktiv', en: 'Inactive' },
  initial_none: { sv: 'Inget initialt lösenord', en: 'No initial password' },
  initial_due: { sv: 'Lösenord att hämta', en: 'Password to fetch' },
  initial_fetched: { sv: 'Lösenordet är hämtat', en: 'Password fetched' },
  initial_used: { sv: 'Eget lösenord valt', en: 'Own password chosen' },
  initial_withdrawn: { sv: 'Lösenordet är borttaget', en: 'Password deleted' },
  backToNewHires: { sv: 'Till Nyanställda', en: 'To New hires' },
  initialBody: {
    sv: 'Hämta lösenordet när du ska lämna det till personen. Läs upp det eller visa det, och se till att ingen annan ser det.',
    en: 'Fetch the password when you are about to hand it over. Read it out or show it, and make sure nobody else sees it.',
  },
  initialFetch: { sv: 'Hämta lösenord', en: 'Fetch password' },
  initialFetchAgain: { sv: 'Visa lösenordet igen', en: 'Show the password again' },
  initialHide: { sv: 'Dölj lösenordet', en: 'Hide the password' },
  initialShownLabel: { sv: 'Lösenord för {name}', en: 'Password for {name}' },
  initialFromDate: {
    sv: 'Lösenordet fungerar från och med {date}.',
    en: 'The password works from {date}.',
  },
  initialUsableNow: {
    sv: 'Lösenordet fungerar nu, fram till första inloggningen.',
    en: 'The password works now, until the first sign-in.',
  },
  initialFirstLogin: {
    sv: 'Vid första inloggningen väljer personen ett eget lösenord. Då försvinner det här.',
    en: 'At the first sign-in the person chooses their own password. Then this one is gone.',
  },
  initialSame: {
    sv: 'Det är samma lösenord varje gång du hämtar det.',
    en: 'It is the same password every time you fetch it.',
  },
  initialFetchCount: {
    sv: 'Hämtat {n} gånger, senast {when}.',
    en: 'Fetched {n} times, last {when}.',
  },
  initialFetchOnce: { sv: 'Hämtat 1 gång, {when}.', en: 'Fetched once, {when}.' },
  initialNotFetched: { sv: 'Inte hämtat än.', en: 'Not fetched yet.' },
  initialUsed: {
    sv: '{name} har loggat in och valt ett eget lösenord ({date}). Det initiala lösenordet finns inte längre.',
    en: '{name} has signed in and chosen their own password ({date}). The initial password no longer exists.',
  },
  initialUsedNoDate: {
    sv: '{name} har loggat in och valt ett eget lösenord. Det initiala lösenordet finns inte längre.',
    en: '{name} has signed in and chosen their own password. The initial password no longer exists.',
  },
  initialNone: {
    sv: 'Det finns inget initialt lösenord att hämta för {name}. Personen har redan ett eget lösenord sedan tidigare.',
    en: 'There is no initial password to fetch for {name}. The person already has a password of their own.',
  },
  initialNoneInstead: {
    sv: 'Har personen glömt sitt lösenord görs en återställning i stället: be personens egen chef om hjälp, eller kontakta servicedesken.',
    en: 'If the person has forgotten their password, it is reset instead: ask the person’s own manager, or contact the service desk.',
  },
  supportReach: { sv: 'Så når du servicedesken:', en: 'How to reach the service desk:' },
  initialWithdrawn: {
    sv: 'Anställningen avslutades före den första inloggningen, så det initiala lösenordet togs bort {date} och kan inte hämtas.',
    en: 'The employment ended before the first sign-in, so the initial password was deleted on {date} and cannot be fetched.',
  },
  initialWithdrawnNoDate: {
    sv: 'Anställningen avslutades före den första inloggningen, så det initiala lösenordet är borttaget och kan inte hämtas.',
    en: 'The employment ended before the first sign-in, so the initial password is deleted and cannot be fetched.',
  },
  directoryIdm: {
    sv: 'Lösenordet visas här; i katalogen sätts det av er IdM.',
    en: 'The password is shown here; your IdM sets it in the directory.',
  },
  directoryWaiting: {
    sv: 'Lösenordet sätts i katalogen på startdagen, {date}. Före det fungerar det inte för inloggning.',
    en: 'The password is set in the directory on the start date, {date}. Before that it does not work for signing in.',
  },
  directoryPending: {
    sv: 'Ännu inte aktivt i katalogen. Nyckel försöker igen var femte minut.',
    en: 'Not yet active in the directory. Nyckel tries again every five minutes.',
  },
  directoryWritten: {
    sv: 'Lösenordet är satt i katalogen ({when}). Vid första inloggningen måste personen välja ett eget.',
    en: 'The password is set in the directory ({when}). At the first sign-in the person must choose their own.',
  },
  directoryError_not_found: {
    sv: 'Kontot finns inte i katalogen än. Det skapas av er IdM.',
    en: 'The account is not in the directory yet. Your IdM creates it.',
  },
  directoryError_unavailable: {
    sv: 'Katalogen kunde inte nås.',
    en: 'The directory could not be reached.',
  },
  directoryErrorOther: {
    sv: 'Katalogen tog inte emot lösenordet ({code}). Kontakta administratören om det står kvar.',
    en: 'The directory did not take the password ({code}). Contact the administrator if this stays.',
  },
  initialHidden: { sv: 'Lösenordet är dolt.', en: 'The password is hidden.' },
} as const;

export const peopleTexts = createTexts(TEXT, MANAGE_COMMON);
export const usePT = peopleTexts.useTexts;
export type PeopleTextKey = TextKeyOf<typeof TEXT, typeof MANAGE_COMMON>;

/** The audit words live with the administrator's log's, in one table. */
export { actionLabel } from './audit-words';
