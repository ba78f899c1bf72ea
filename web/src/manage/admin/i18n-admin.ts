import { createTexts, type TextKeyOf } from '../../i18n-core';
import { MANAGE_COMMON } from '../i18n-glossary';

/**
 * The administrator screens' texts, Swedish first (klarspråk: short sentences, the reader as
 * "du", the thing before the rule). They live in the admin chunk only. Server error messages
 * come localised from the API.
 */
const TEXT = {
  optional: { sv: '(frivilligt)', en: '(optional)' },
  toOverview: { sv: 'Till administrationen', en: 'To administration' },
  closeForm: { sv: 'Stäng formuläret', en: 'Close the form' },
  chooseUnit: { sv: 'Välj enhet', en: 'Choose a unit' },
  allUnits: { sv: 'Alla enheter', en: 'All units' },
  unitMissing: { sv: 'Välj en enhet.', en: 'Choose a unit.' },
  passwordCopied: { sv: 'Lösenordet är kopierat.', en: 'The password is copied.' },
  copyPasswordFailed: {
    sv: 'Det gick inte att kopiera. Skriv av lösenordet i stället.',
    en: 'Could not copy. Write the password down from the screen instead.',
  },

  // Overview and menu
  adminIntro: {
    sv: 'Här lägger du upp enheter, brevlådor och personer, och ser allt som har hänt.',
    en: 'Here you set up units, mailboxes and people, and see everything that has happened.',
  },
  unitsHint: {
    sv: 'Enheterna som äger brevlådorna, och deras chefer.',
    en: 'The units that own the mailboxes, and their managers.',
  },
  mailboxesHint: {
    sv: 'Skapa brevlådor med startlösenord, flytta och stäng av dem.',
    en: 'Create mailboxes with an initial password, move and disable them.',
  },
  peopleHint: {
    sv: 'Chefer, ombud och administratörer, deras roller och inbjudningar.',
    en: 'Managers, delegates and administrators, their roles and invites.',
  },
  networksHint: {
    sv: 'Adresserna som räknas som kommunens eget nätverk.',
    en: 'The addresses that count as the municipal network.',
  },
  auditHint: {
    sv: 'Vem gjorde vad, när och varifrån. Kan sparas som CSV för Excel.',
    en: 'Who did what, when and from where. Can be saved as CSV for Excel.',
  },
  resetAlertHeading: { sv: 'Ovanligt många återställningar', en: 'Unusually many resets' },
  resetAlertStarts: {
    sv: '{count} återställningar startades senaste timmen (gränsen för varning är {limit}).',
    en: '{count} resets were started in the last hour (the warning limit is {limit}).',
  },
  resetAlertStartsAtLeast: {
    sv: 'Minst {count} återställningar startades senaste timmen (gränsen för varning är {limit}).',
    en: 'At least {count} resets were started in the last hour (the warning limit is {limit}).',
  },
  resetAlertShareSpent: {
    sv: 'Återställningarnas andel av dagens sms ({max} st) är förbrukad: ingen får en kod för att återställa förrän {time}. Registrering av nummer och överlämningar har kvar sin egen del.',
    en: 'The resets’ share of today’s text messages ({max}) is spent: nobody gets a reset code until {time}. Registering numbers and handovers keep their own part.',
  },
  resetAlertMeaning: {
    sv: 'Det kan vara någon som prövar många användarnamn. Se i loggen varifrån återställningarna kommer.',
    en: 'It may be someone trying many usernames. See in the log where the resets come from.',
  },
  resetAlertLink: {
    sv: 'Visa återställningarna i loggen',
    en: 'Show the resets in the log',
  },

  // Units
  unitsHeading: { sv: 'Enheter', en: 'Units' },
  unitsIntro: {
    sv: 'Varje brevlåda hör till en enhet. Chefer och ombud får sina roller per enhet, under Personer och roller.',
    en: 'Every mailbox belongs to a unit. Managers and delegates get their roles per unit, under People and roles.',
  },
  unitCreateHeading: { sv: 'Ny enhet', en: 'New unit' },
  unitName: { sv: 'Enhetens namn', en: 'Name of the unit' },
  unitNameHint: {
    sv: 'Som cheferna känner igen den, till exempel Hemtjänst Centrum.',
    en: 'As the managers know it, for example Hemtjänst Centrum.',
  },
  unitNameMissing: { sv: 'Skriv enhetens namn.', en: 'Enter the name of the unit.' },
  unitCreate: { sv: 'Skapa enheten', en: 'Create the unit' },
  unitCreated: { sv: 'Enheten {name} är skapad.', en: 'The unit {name} is created.' },
  unitsListHeading: { sv: 'Alla enheter', en: 'All units' },
  unitsEmpty: {
    sv: 'Det finns inga enheter ännu. Skapa den första ovanför.',
    en: 'There are no units yet. Create the first one above.',
  },
  colMailboxes: { sv: 'Brevlådor', en: 'Mailboxes' },
  colManagers: { sv: 'Chefer', en: 'Managers' },
  mailboxCount: { sv: '{n} brevlådor', en: '{n} mailboxes' },
  mailboxCountOne: { sv: '1 brevlåda', en: '1 mailbox' },
  inUnit: { sv: 'i {name}', en: 'in {name}' },
  noManager: { sv: 'Ingen chef ännu', en: 'No manager yet' },
  rename: { sv: 'Byt namn', en: 'Rename' },
  renameHeading: { sv: 'Byt namn på {name}', en: 'Rename {name}' },
  unitNewName: { sv: 'Nytt namn', en: 'New name' },
  saveName: { sv: 'Spara namnet', en: 'Save the name' },
  unitRenamed: { sv: '{old} heter nu {name}.', en: '{old} is now called {name}.' },

  // Mailboxes
  mailboxesHeading: { sv: 'Brevlådor', en: 'Mailboxes' },
  mailboxesIntro: {
    sv: 'Enhetens gemensamma brevlådor. Chefer och ombud för enheten sköter lösenordet, du lägger upp brevlådan.',
    en: 'The units’ shared mailboxes. The unit’s managers and delegates look after the password; you set the mailbox up.',
  },
  mailboxNew: { sv: 'Skapa ny brevlåda', en: 'Create a new mailbox' },
  mailboxCreateHeading: { sv: 'Ny brevlåda', en: 'New mailbox' },
  mailboxUsernameHint: {
    sv: 'Som i katalogen: a–z, siffror, punkt, bindestreck eller understreck. Till exempel hemtjanstab.',
    en: 'As in the directory: a–z, digits, dot, hyphen or underscore. For example hemtjanstab.',
  },
  usernameInvalid: {
    sv: 'Skriv ett användarnamn med 2–64 tecken: a–z, siffror, punkt, bindestreck eller understreck.',
    en: 'Enter a username of 2–64 characters: a–z, digits, dot, hyphen or underscore.',
  },
  mailboxDisplayName: { sv: 'Visningsnamn', en: 'Display name' },
  mailboxDisplayNameHint: {
    sv: 'Det namn kollegorna ser, till exempel Hemtjänst A-gruppen.',
    en: 'The name colleagues see, for example Hemtjänst A-gruppen.',
  },
  displayNameMissing: { sv: 'Skriv ett visningsnamn.', en: 'Enter a display name.' },
  mailboxUnit: { sv: 'Enhet som äger brevlådan', en: 'Unit that owns the mailbox' },
  initialPassword: { sv: 'Startlösenord', en: 'Initial password' },
  passwordGenerate: {
    sv: 'Skapa ett lösenord åt mig (rekommenderas)',
    en: 'Create a password for me (recommended)',
  },
  passwordGenerateHint: {
    sv: 'Lätt att läsa och följer reglerna. Det visas en gång när brevlådan är skapad.',
    en: 'Easy to read and follows the rules. It is shown once when the mailbox is created.',
  },
  passwordType: { sv: 'Jag skriver lösenordet själv', en: 'I will type the password' },
  passwordNotReady: {
    sv: 'Lösenordet uppfyller inte alla krav i listan, eller så är fälten olika.',
    en: 'The password does not meet every rule in the list, or the fields differ.',
  },
  mailboxCreate: { sv: 'Skapa brevlådan', en: 'Create the mailbox' },
  mailboxCreated: {
    sv: 'Brevlådan {username} är skapad',
    en: 'The mailbox {username} is created',
  },
  mailboxCreatedStatus: {
    sv: 'Brevlådan {username} är skapad.',
    en: 'The mailbox {username} is created.',
  },
  generatedIntro: {
    sv: 'Lösenordet visas bara nu. Ge det till enhetens chef på det sätt er rutin säger, aldrig i en gruppchatt eller på en lapp.',
    en: 'The password is shown only now. Give it to the unit’s manager the way your routine says, never in a group chat or on a note.',
  },
  initialPasswordLabel: { sv: 'Startlösenord', en: 'Initial password' },
  mailboxesListHeading: { sv: 'Brevlådor', en: 'Mailboxes' },
  filterUnit: { sv: 'Visa brevlådor för', en: 'Show mailboxes of' },
  mailboxesEmpty: { sv: 'Inga brevlådor här ännu.', en: 'No mailboxes here yet.' },
  colPassword: { sv: 'Lösenord', en: 'Password' },
  colState: { sv: 'Läge', en: 'State' },
  statusDueSoon: { sv: 'Snart dags att byta', en: 'Due soon' },
  dueBy: { sv: 'Byts senast {date}', en: 'Change by {date}' },
  stateActive: { sv: 'Aktiv', en: 'Active' },
  stateLockedUntil: { sv: 'Låst till {time}', en: 'Locked until {time}' },
  move: { sv: 'Flytta', en: 'Move' },
  moveHeading: { sv: 'Flytta {username}', en: 'Move {username}' },
  moveBody: {
    sv: 'Brevlådan hör nu till {unit}. Efter flytten sköts den av den nya enhetens chefer och ombud, och de gamla ser den inte längre.',
    en: 'The mailbox now belongs to {unit}. After the move the new unit’s managers and delegates look after it, and the old ones no longer see it.',
  },
  moveTo: { sv: 'Flytta till enhet', en: 'Move to unit' },
  moveConfirm: { sv: 'Flytta brevlådan', en: 'Move the mailbox' },
  mailboxMoved: { sv: '{username} hör nu till {unit}.', en: '{username} now belongs to {unit}.' },
  disable: { sv: 'Stäng av', en: 'Disable' },
  enable: { sv: 'Aktivera', en: 'Enable' },
  disableHeading: { sv: 'Stänga av {username}?', en: 'Disable {username}?' },
  disableBody: {
    sv: 'Ingen kan logga in, byta lösenord eller återställa det med sms-kod förrän brevlådan aktiveras igen. Den som är inloggad nu loggas ut.',
    en: 'Nobody can sign in, change the password or reset it with a text message code until the mailbox is enabled again. Anyone signed in now is signed out.',
  },
  disableConfirm: { sv: 'Stäng av brevlådan', en: 'Disable the mailbox' },
  enableHeading: { sv: 'Aktivera {username}?', en: 'Enable {username}?' },
  enableBody: {
    sv: 'Brevlådan fungerar igen med det lösenord och nummer den hade.',
    en: 'The mailbox works again with the password and number it had.',
  },
  enableConfirm: { sv: 'Aktivera brevlådan', en: 'Enable the mailbox' },
  mailboxDisabled: { sv: '{username} är avstängd.', en: '{username} is disabled.' },
  mailboxEnabled: { sv: '{username} är aktiverad igen.', en: '{username} is enabled again.' },

  // People
  peopleHeading: { sv: 'Personer och roller', en: 'People and roles' },
  peopleIntro: {
    sv: 'Personer loggar in med lösenordsnyckel, engångskod eller SITHS-kort, aldrig med lösenord. De får en inbjudan med e-post för att skapa sin inloggning.',
    en: 'People sign in with a passkey, a one-time code or a SITHS card, never with a password. They get an invite by e-mail to set up their sign-in.',
  },
  personNew: { sv: 'Lägg till person', en: 'Add a person' },
  personCreateHeading: { sv: 'Ny person', en: 'New person' },
  personEmailHint: {
    sv: 'Jobbadressen. Inbjudan och påminnelser går hit.',
    en: 'The work address. Invites and reminders go here.',
  },
  emailInvalid: {
    sv: 'Skriv en e-postadress, till exempel anna.andersson@kommun.se.',
    en: 'Enter an e-mail address, for example anna.andersson@kommun.se.',
  },
  personPhoneHint: { sv: 'Till exempel 070-123 45 67.', en: 'For example 070-123 45 67.' },
  personHsaHint: {
    sv: 'Behövs bara för inloggning med SITHS-kort. Till exempel SE2321000016-1234.',
    en: 'Needed only to sign in with a SITHS card. For example SE2321000016-1234.',
  },
  hsaInvalid: {
    sv: 'Ett HSA-id ser ut som SE2321000016-1234: SE, tio siffror, bindestreck och sedan bokstäver eller siffror.',
    en: 'An HSA-id looks like SE2321000016-1234: SE, ten digits, a hyphen, then letters or digits.',
  },
  personIsAdmin: { sv: 'Administratör', en: 'Administrator' },
  personIsAdminHint: {
    sv: 'Får göra allt i Nyckel, för alla enheter.',
    en: 'May do everything in Nyckel, for every unit.',
  },
  selfAdminHint: {
    sv: 'Du kan inte ta bort din egen administratörsroll. Be en annan administratör om det behövs.',
    en: 'You cannot remove your own administrator role. Ask another administrator if needed.',
  },
  personCreate: { sv: 'Lägg till personen', en: 'Add the person' },
  personCreated: {
    sv: '{name} är tillagd. Ge en roll och skicka en inbjudan nedanför.',
    en: '{name} is added. Give a role and send an invite below.',
  },
  peopleListHeading: { sv: 'Alla personer', en: 'Everyone' },
  peopleEmpty: { sv: 'Inga personer ännu.', en: 'No people yet.' },
  colPerson: { sv: 'Person', en: 'Person' },
  colRoles: { sv: 'Roller', en: 'Roles' },
  colSignIn: { sv: 'Inloggning', en: 'Sign-in' },
  noRoles: { sv: 'Ingen roll ännu', en: 'No role yet' },
  roleAdmin: { sv: 'Administratör', en: 'Administrator' },
  roleManagerOf: { sv: 'Chef för {unit}', en: 'Manager of {unit}' },
  roleDelegateOf: { sv: 'Ombud för {unit}', en: 'Delegate for {unit}' },
  personMissing: { sv: 'Personen finns inte', en: 'No such person' },
  toPeople: { sv: 'Till alla personer', en: 'To everyone' },
  backToPeople: { sv: '← Alla personer', en: '← Everyone' },
  saveChanges: { sv: 'Spara ändringarna', en: 'Save the changes' },
  nothingChanged: {
    sv: 'Du har inte ändrat något ännu.',
    en: 'You have not changed anything yet.',
  },
  personSaved: {
    sv: 'Ändringarna för {name} är sparade.',
    en: 'The changes for {name} are saved.',
  },
  rolesHeading: { sv: 'Roller per enhet', en: 'Roles per unit' },
  rolesIntro: {
    sv: 'En ändring gäller direkt, också för den som är inloggad just nu.',
    en: 'A change applies at once, also to someone signed in right now.',
  },
  noUnitRoles: { sv: 'Ingen roll i någon enhet ännu.', en: 'No role in any unit yet.' },
  roleRemoved: { sv: 'Rollen i {unit} är borttagen.', en: 'The role in {unit} is removed.' },
  roleGiveHeading: { sv: 'Ge en roll', en: 'Give a role' },
  roleUnitHint: {
    sv: 'Har personen redan en roll där ersätts den.',
    en: 'If the person already has a role there, it is replaced.',
  },
  roleLabel: { sv: 'Roll', en: 'Role' },
  roleManagerHint: {
    sv: 'Ansvarar för enhetens brevlådor och kan ge ombud.',
    en: 'Responsible for the unit’s mailboxes and can appoint delegates.',
  },
  roleDelegate: { sv: 'Ombud', en: 'Delegate' },
  roleDelegateHint: {
    sv: 'Sköter brevlådorna men kan inte ge andra ombud.',
    en: 'Looks after the mailboxes but cannot appoint other delegates.',
  },
  roleGive: { sv: 'Ge rollen', en: 'Give the role' },
  roleGivenManager: { sv: 'Personen är chef för {unit}.', en: 'The person is manager of {unit}.' },
  roleGivenDelegate: {
    sv: 'Personen är ombud för {unit}.',
    en: 'The person is delegate for {unit}.',
  },
  inviteSectionHeading: { sv: 'Inbjudan', en: 'Invite' },
  inviteHint: {
    sv: 'Personen får ett mejl med en länk. Där skapar hen sin inloggning med lösenordsnyckel eller engångskod.',
    en: 'The person gets an e-mail with a link. There they set up their sign-in with a passkey or a one-time code.',
  },
  inviteAgainHint: {
    sv: 'Har personen tappat eller bytt telefon? En ny inbjudan ersätter den gamla inloggningen när hen använder den.',
    en: 'Has the person lost or changed their phone? A new invite replaces the old sign-in when they use it.',
  },
  invitePendingHint: {
    sv: 'En inbjudan är redan skickad. Skickar du en ny slutar den förra länken att gälla.',
    en: 'An invite has already been sent. If you send a new one, the earlier link stops working.',
  },
  inviteSend: { sv: 'Skicka inbjudan', en: 'Send invite' },
  inviteSendAgain: { sv: 'Skicka ny inbjudan', en: 'Send a new invite' },
  inviteSent: {
    sv: 'Inbjudan är skickad till {email}. Länken i mejlet gäller i 72 timmar, till {time}, och kan bara användas en gång.',
    en: 'The invite is sent to {email}. The link in the e-mail is valid for 72 hours, until {time}, and works only once.',
  },
  inviteDisabled: {
    sv: 'Personen är avstängd. Aktivera hen innan du skickar en inbjudan.',
    en: 'The person is disabled. Enable them before you send an invite.',
  },
  accessHeading: { sv: 'Stäng av', en: 'Disable' },
  enablePersonHeading: { sv: 'Aktivera', en: 'Enable' },
  disablePersonHint: {
    sv: 'Använd när någon slutar eller inte längre ska använda Nyckel.',
    en: 'Use this when someone leaves or should no longer use Nyckel.',
  },
  enablePersonHint: {
    sv: 'Personen kan logga in igen med det hen hade, och rollerna gäller igen.',
    en: 'The person can sign in again with what they had, and the roles apply again.',
  },
  selfDisableHint: {
    sv: 'Du kan inte stänga av dig själv.',
    en: 'You cannot disable yourself.',
  },
  disablePerson: { sv: 'Stäng av personen', en: 'Disable the person' },
  enablePerson: { sv: 'Aktivera personen', en: 'Enable the person' },
  disablePersonConfirmHeading: { sv: 'Stänga av {name}?', en: 'Disable {name}?' },
  enablePersonConfirmHeading: { sv: 'Aktivera {name}?', en: 'Enable {name}?' },
  disablePersonBody: {
    sv: 'Personen loggas ut direkt och kan inte logga in förrän du aktiverar hen igen. Rollerna finns kvar.',
    en: 'The person is signed out at once and cannot sign in until you enable them again. The roles are kept.',
  },
  personDisabledDone: { sv: '{name} är avstängd.', en: '{name} is disabled.' },
  personEnabledDone: { sv: '{name} är aktiverad igen.', en: '{name} is enabled again.' },
  signInLockedHeading: { sv: 'Inloggningen med kod är låst', en: 'Sign-in with a code is locked' },
  signInLockedUntil: {
    sv: 'Inloggningen med kod är låst till {time}.',
    en: 'Sign-in with a code is locked until {time}.',
  },
  signInLockedHint: {
    sv: 'Någon har skrivit fel kod för många gånger, kanske bara från ett av nätverken. Att låsa upp tar bort spärren från alla nätverk. Appen med koderna är densamma som förut.',
    en: 'Someone entered a wrong code too many times, perhaps from only one network. Unlocking lifts the lock from every network. The app with the codes stays the same.',
  },
  unlockSignIn: { sv: 'Lås upp inloggningen', en: 'Unlock sign-in' },
  signInUnlockedHeading: {
    sv: 'Inloggningen med kod är upplåst',
    en: 'Sign-in with a code is unlocked',
  },
  signInUnlocked: {
    sv: '{name} kan logga in med kod igen.',
    en: '{name} can sign in with a code again.',
  },

  // Networks
  networksHeading: { sv: 'Interna nätverk', en: 'Internal networks' },
  networksWhy: {
    sv: 'Riktlinjen säger att brevlådans mobilnummer ska registreras, och lösenordet bytas, från en mobil eller dator utanför kommunens nätverk. Därför nekar Nyckel inloggning med brevlådans lösenord från adresserna i den här listan. Återställning med sms-kod fungerar ändå.',
    en: 'The guideline says a mailbox’s mobile number is registered, and its password changed, from a phone or computer outside the municipal network. So Nyckel refuses sign-in with the mailbox password from the addresses in this list. Resetting with a text message code still works.',
  },
  sourceSettings: { sv: 'Ändrad här', en: 'Changed here' },
  sourceSettingsHint: {
    sv: 'Listan är ändrad i Nyckel och gäller i stället för standardlistan.',
    en: 'The list was changed in Nyckel and applies instead of the default list.',
  },
  sourceDefault: { sv: 'Standardlistan', en: 'The default list' },
  sourceDefaultHint: {
    sv: 'Listan kommer från driftinställningen INTERNAL_NETWORKS. Sparar du här gäller din lista i stället.',
    en: 'The list comes from the deployment setting INTERNAL_NETWORKS. If you save here, your list applies instead.',
  },
  networksFormHeading: { sv: 'Listan som gäller nu', en: 'The list in force' },
  networksLabel: { sv: 'Nätverk, ett per rad', en: 'Networks, one per line' },
  networksHelp: {
    sv: 'Skriv nätverket med prefix, till exempel 10.0.0.0/8 eller 2001:db8::/32. En adress utan /prefix gäller bara den adressen. En tom lista betyder att inga adresser nekas.',
    en: 'Write the network with its prefix, for example 10.0.0.0/8 or 2001:db8::/32. An address without /prefix covers only that address. An empty list means no address is refused.',
  },
  networksSave: { sv: 'Spara listan', en: 'Save the list' },
  networksSaved: {
    sv: 'Listan är sparad ({n} nätverk). Den gäller direkt.',
    en: 'The list is saved ({n} networks). It applies at once.',
  },
  networkBadLine: {
    sv: 'Rad {line}, ”{entry}”, är inte ett nätverk. Skriv till exempel 10.0.0.0/8.',
    en: 'Line {line}, “{entry}”, is not a network. Write for example 10.0.0.0/8.',
  },
  networkBad: {
    sv: '”{entry}” är inte ett nätverk. Skriv till exempel 10.0.0.0/8.',
    en: '“{entry}” is not a network. Write for example 10.0.0.0/8.',
  },
  networksResetButton: { sv: 'Återställ standard', en: 'Restore the default' },
  networksResetHeading: {
    sv: 'Återställa standardlistan?',
    en: 'Restore the default list?',
  },
  networksResetBody: {
    sv: 'Din lista tas bort och standardlistan gäller direkt:',
    en: 'Your list is removed and the default list applies at once:',
  },
  networksReset: {
    sv: 'Standardlistan gäller igen.',
    en: 'The default list applies again.',
  },
  networksDefaults: { sv: 'Visa standardlistan', en: 'Show the default list' },
  networksDefaultsEmpty: {
    sv: 'Standardlistan är tom.',
    en: 'The default list is empty.',
  },

  // Audit log
  auditHeading: { sv: 'Granskningslogg', en: 'Audit log' },
  auditIntro: {
    sv: 'Allt som har hänt i Nyckel: vem, vad, när, från vilken adress och hur det gick. Nyast först.',
    en: 'Everything that has happened in Nyckel: who, what, when, from which address and how it went. Newest first.',
  },
  auditFilters: { sv: 'Visa bara', en: 'Show only' },
  auditFrom: { sv: 'Från och med dag', en: 'From day' },
  auditTo: { sv: 'Till och med dag', en: 'To day' },
  auditToBeforeFrom: {
    sv: 'Till-dagen kan inte vara före från-dagen.',
    en: 'The to day cannot be before the from day.',
  },
  auditAnyone: { sv: 'Alla', en: 'Anyone' },
  auditActorPeople: { sv: 'Personer', en: 'People' },
  auditActorMailboxes: { sv: 'Brevlådor', en: 'Mailboxes' },
  auditActorOther: { sv: 'Övriga', en: 'Other' },
  actorAnonymous: { sv: 'Inte inloggad', en: 'Not signed in' },
  actorSystem: { sv: 'Nyckel själv', en: 'Nyckel itself' },
  auditAction: { sv: 'Händelse', en: 'Action' },
  auditAnyAction: { sv: 'Alla händelser', en: 'All actions' },
  auditOutcome: { sv: 'Utfall', en: 'Outcome' },
  auditAnyOutcome: { sv: 'Alla utfall', en: 'All outcomes' },
  auditApply: { sv: 'Visa', en: 'Show' },
  auditClear: { sv: 'Rensa urvalet', en: 'Clear the filters' },
  auditListHeading: { sv: 'Händelser', en: 'Events' },
  auditExport: { sv: 'Exportera CSV', en: 'Export CSV' },
  auditExportHint: {
    sv: 'CSV-filen har samma urval och öppnas direkt i Excel. Exporten skrivs själv in i loggen.',
    en: 'The CSV file has the same filters and opens directly in Excel. The export is itself written to the log.',
  },
  auditNoneFiltered: { sv: 'Inga händelser med det urvalet.', en: 'No events with those filters.' },
  auditShown: { sv: 'Visar alla {n} händelser.', en: 'Showing all {n} events.' },
  auditShownOne: { sv: 'Visar den enda händelsen.', en: 'Showing the only event.' },
  auditShownMore: {
    sv: 'Visar de {n} senaste händelserna. Det finns fler.',
    en: 'Showing the {n} newest events. There are more.',
  },
  auditMore: { sv: 'Visa fler', en: 'Show more' },
  colTime: { sv: 'Tid', en: 'Time' },
  colTarget: { sv: 'Gäller', en: 'Concerns' },
  colAddress: { sv: 'Från adress', en: 'From address' },
  colDetail: { sv: 'Detaljer', en: 'Details' },
  familyMailboxLogin: {
    sv: 'Inloggning med brevlådans lösenord',
    en: 'Sign-in with the mailbox password',
  },
  familyMailboxPhone: { sv: 'Mobilnummer för brevlådor', en: 'Mailbox mobile numbers' },
  familyMailboxPassword: { sv: 'Lösenordsbyten', en: 'Password changes' },
  familyReset: { sv: 'Återställning med sms-kod', en: 'Reset with a text message code' },
  // Mailboxes and people's sign-in can both be unlocked: each family says whose.
  familyUnlock: { sv: 'Upplåsning av brevlådor', en: 'Unlocking mailboxes' },
  familyPersonUnlock: {
    sv: 'Upplåsning av personers inloggning',
    en: 'Unlocking people’s sign-in',
  },
  familyNetworkRefused: {
    sv: 'Nekad från internt nätverk',
    en: 'Refused from the internal network',
  },
  familySignIn: { sv: 'Inloggning för personer', en: 'Sign-in of people' },
  familyEnrol: { sv: 'Ny inloggning skapad', en: 'Sign-in set up' },
  familyInvite: { sv: 'Inbjudningar', en: 'Invites' },
  familyRole: { sv: 'Roller', en: 'Roles' },
  familyPerson: { sv: 'Personer (allt)', en: 'People (everything)' },
  familyUnit: { sv: 'Enheter', en: 'Units' },
  familyMailbox: { sv: 'Brevlådor (allt)', en: 'Mailboxes (everything)' },
  familyNetworks: { sv: 'Ändrad nätverkslista', en: 'Network list changed' },
  familyExport: { sv: 'Export av loggen', en: 'Log exports' },
  actMailboxLogin: { sv: 'Inloggning med brevlådans lösenord', en: 'Mailbox sign-in' },
  actMailboxLogout: { sv: 'Utloggning, brevlåda', en: 'Mailbox sign-out' },
  actPasswordChange: { sv: 'Bytte lösenord', en: 'Changed the password' },
  actPasswordOnBehalf: { sv: 'Bytte lösenord åt brevlådan', en: 'Reset the password on behalf' },
  actPhoneCode: { sv: 'Kod till nytt mobilnummer', en: 'Code to a new mobile number' },
  actPhoneVerify: { sv: 'Registrerade mobilnummer', en: 'Registered a mobile number' },
  actUnlock: { sv: 'Låste upp brevlådan', en: 'Unlocked the mailbox' },
  actMailboxCreate: { sv: 'Skapade brevlåda', en: 'Created a mailbox' },
  actMailboxDisable: { sv: 'Stängde av brevlåda', en: 'Disabled a mailbox' },
  actMailboxEnable: { sv: 'Aktiverade brevlåda', en: 'Enabled a mailbox' },
  actMailboxMove: { sv: 'Flyttade brevlåda', en: 'Moved a mailbox' },
  actMailboxRename: { sv: 'Bytte visningsnamn', en: 'Changed the display name' },
  actNetworkRefused: {
    sv: 'Nekad från internt nätverk',
    en: 'Refused from the internal network',
  },
  actNetworksUpdate: { sv: 'Ändrade nätverkslistan', en: 'Changed the network list' },
  actChallengeFailed: {
    sv: 'Nekad: klarade inte människokontrollen',
    en: 'Refused: did not pass the person check',
  },
  actResetStart: { sv: 'Började återställning', en: 'Started a reset' },
  actResetCode: { sv: 'Skrev in sms-kod', en: 'Entered a text message code' },
  actResetResend: { sv: 'Skickade koden igen', en: 'Sent the code again' },
  actResetComplete: { sv: 'Återställde lösenordet', en: 'Reset the password' },
  actSignIn: { sv: 'Loggade in', en: 'Signed in' },
  actSignOut: { sv: 'Loggade ut', en: 'Signed out' },
  actEnrol: { sv: 'Skapade sin inloggning', en: 'Set up their sign-in' },
  actPersonCreate: { sv: 'Lade till person', en: 'Added a person' },
  actPersonUpdate: { sv: 'Ändrade person', en: 'Changed a person' },
  actPersonDisable: { sv: 'Stängde av person', en: 'Disabled a person' },
  actPersonEnable: { sv: 'Aktiverade person', en: 'Enabled a person' },
  actPersonUnlock: {
    sv: 'Låste upp personens inloggning',
    en: 'Unlocked the person’s sign-in',
  },
  actAdminGrant: { sv: 'Gjorde till administratör', en: 'Made an administrator' },
  actAdminRevoke: { sv: 'Tog bort administratörsroll', en: 'Removed the administrator role' },
  actInvite: { sv: 'Skickade inbjudan', en: 'Sent an invite' },
  actDelegateAdd: { sv: 'Lade till ombud', en: 'Added a delegate' },
  actDelegateRevoke: { sv: 'Tog bort ombud', en: 'Removed a delegate' },
  actRoleSet: { sv: 'Gav roll', en: 'Gave a role' },
  actRoleRemove: { sv: 'Tog bort roll', en: 'Removed a role' },
  actUnitCreate: { sv: 'Skapade enhet', en: 'Created a unit' },
  actUnitRename: { sv: 'Bytte namn på enhet', en: 'Renamed a unit' },
  actExport: { sv: 'Exporterade loggen', en: 'Exported the log' },

  // New hires: CSV import
  importHeading: { sv: 'Nyanställda (import)', en: 'New hires (import)' },
  importHint: {
    sv: 'Läs in nyanställda från en CSV-fil och skapa deras initiala lösenord.',
    en: 'Read new hires from a CSV file and create their initial passwords.',
  },
  importIntro: {
    sv: 'Spara listan från Excel som ”CSV UTF-8 (semikolonavgränsad)”. Du ser varje rad och vad som är fel innan något sparas. Cheferna i enheten får ett e-brev när det finns ett lösenord att hämta.',
    en: 'Save the list from Excel as “CSV UTF-8 (semicolon delimited)”. You see every row and what is wrong before anything is saved. The unit’s managers get an e-mail when there is a password to fetch.',
  },
  importColumns: {
    sv: 'Kolumner: Användar-id; Personnummer; HSA-id (frivilligt); Förnamn; Efternamn; Enhet (namn eller id); Startdatum (ÅÅÅÅ-MM-DD); Status (ny, aktiv, avslutad eller inaktiv).',
    en: 'Columns: User id; Personal identity number; HSA-id (optional); Given name; Family name; Unit (name or id); Start date (YYYY-MM-DD); State (new, active, ended or inactive).',
  },
  importExample: { sv: 'Ladda ner en exempelfil (CSV)', en: 'Download an example file (CSV)' },
  importFile: { sv: 'CSV-fil med nyanställda', en: 'CSV file with new hires' },
  importFileHint: {
    sv: 'Filen granskas direkt när du har valt den. Inget sparas förrän du trycker på Importera.',
    en: 'The file is checked as soon as you choose it. Nothing is saved until you press Import.',
  },
  importReading: { sv: 'Granskar filen…', en: 'Checking the file…' },
  importPreviewHeading: { sv: 'Granskning av {file}', en: 'Check of {file}' },
  importResultHeading: { sv: 'Resultat av importen', en: 'Result of the import' },
  importCounts: {
    sv: '{ok} rader kan importeras. {errors} rader har fel och hoppas över.',
    en: '{ok} rows can be imported. {errors} rows have errors and are skipped.',
  },
  importCountsOneError: {
    sv: '{ok} rader kan importeras. 1 rad har fel och hoppas över.',
    en: '{ok} rows can be imported. 1 row has errors and is skipped.',
  },
  importCountsNoErrors: {
    sv: '{ok} rader kan importeras. Inga fel.',
    en: '{ok} rows can be imported. No errors.',
  },
  importNothing: {
    sv: 'Ingen rad kan importeras. Rätta filen och välj den igen.',
    en: 'No row can be imported. Fix the file and choose it again.',
  },
  importButton: { sv: 'Importera {n} rader', en: 'Import {n} rows' },
  importButtonOne: { sv: 'Importera 1 rad', en: 'Import 1 row' },
  importProgress: { sv: 'Importerar … {done} av {total}', en: 'Importing … {done} of {total}' },
  importDone: {
    sv: 'Importen är klar: {created} nya, {updated} ändrade, {unchanged} oförändrade, {errors} med fel.',
    en: 'The import is done: {created} new, {updated} changed, {unchanged} unchanged, {errors} with errors.',
  },
  importStarted: {
    sv: '{n} initiala lösenord skapades. Enheternas chefer har fått e-post.',
    en: '{n} initial passwords were created. The units’ managers have been e-mailed.',
  },
  importAnother: { sv: 'Läs in en ny fil', en: 'Read another file' },
  importTable: { sv: 'Rader i filen', en: 'Rows in the file' },
  colLine: { sv: 'Rad', en: 'Line' },
  colStatus: { sv: 'Status', en: 'Status' },
  colProblems: { sv: 'Vad som är fel', en: 'What is wrong' },
  rowOk: { sv: 'OK', en: 'OK' },
  rowError: { sv: 'Fel', en: 'Error' },
  rowCreated: { sv: 'Ny', en: 'New' },
  rowUpdated: { sv: 'Ändrad', en: 'Changed' },
  rowUnchanged: { sv: 'Oförändrad', en: 'Unchanged' },
  initialStarted: { sv: 'Skapat, chefen meddelad', en: 'Created, manager told' },
  initialNoneYet: { sv: 'Inget nytt', en: 'None new' },
  noProblems: { sv: 'Inga', en: 'None' },
  issue_user_id: {
    sv: 'Användar-id ska vara 2–32 bokstäver A–Z eller siffror.',
    en: 'User id must be 2–32 letters A–Z or digits.',
  },
  issue_personal_number_format: {
    sv: 'Personnumret ska skrivas ÅÅMMDD-XXXX, ÅÅÅÅMMDD-XXXX eller ÅÅÅÅMMDDXXXX.',
    en: 'The personal identity number must be YYMMDD-XXXX, YYYYMMDD-XXXX or YYYYMMDDXXXX.',
  },
  issue_personal_number_date: {
    sv: 'Personnumret har ett datum som inte finns.',
    en: 'The personal identity number has a date that does not exist.',
  },
  issue_personal_number_checksum: {
    sv: 'Personnumrets sista siffra (kontrollsiffran) stämmer inte.',
    en: 'The last digit (check digit) of the personal identity number is wrong.',
  },
  issue_hsa_id: {
    sv: 'HSA-id ska vara SE, organisationsnumret, ett bindestreck och en lokal del.',
    en: 'HSA-id must be SE, the organisation number, a hyphen and a local part.',
  },
  issue_given_name: {
    sv: 'Förnamn saknas eller är längre än 100 tecken.',
    en: 'Given name is missing or longer than 100 characters.',
  },
  issue_family_name: {
    sv: 'Efternamn saknas eller är längre än 100 tecken.',
    en: 'Family name is missing or longer than 100 characters.',
  },
  issue_name_characters: {
    sv: 'Namnet innehåller osynliga tecken eller styrtecken (radbrytning, nollbreddstecken eller skrivriktning). Skriv namnet utan dem.',
    en: 'The name contains invisible or control characters (a line break, zero-width or text-direction mark). Write the name without them.',
  },
  issue_unit: {
    sv: 'Enheten finns inte i Nyckel. Skriv enhetens namn eller id.',
    en: 'The unit does not exist in Nyckel. Write the unit’s name or id.',
  },
  issue_start_date: {
    sv: 'Startdatum ska vara ett datum skrivet ÅÅÅÅ-MM-DD.',
    en: 'Start date must be a date written YYYY-MM-DD.',
  },
  issue_state: {
    sv: 'Status ska vara ny, aktiv, avslutad eller inaktiv.',
    en: 'State must be new, active, ended or inactive.',
  },
  issue_conflict: {
    sv: 'Personnumret finns redan hos ett annat användar-id.',
    en: 'Another user id already has this personal identity number.',
  },
  fileEmpty: { sv: 'Filen har inga rader.', en: 'The file has no rows.' },
  fileQuote: {
    sv: 'Ett citattecken stängs aldrig (rad {line}). Spara filen från Excel igen.',
    en: 'A quotation mark is never closed (line {line}). Save the file from Excel again.',
  },
  fileColumns: { sv: 'Kolumner saknas: {columns}.', en: 'Columns missing: {columns}.' },
  fileTooMany: { sv: 'Högst {n} rader per fil.', en: 'At most {n} rows a file.' },
  fileTooLarge: {
    sv: 'Filen är för stor. Dela upp den i flera filer.',
    en: 'The file is too large. Split it into several files.',
  },
  fileNotText: {
    sv: 'Det gick inte att läsa filen. Spara den som CSV UTF-8 och välj den igen.',
    en: 'The file could not be read. Save it as CSV UTF-8 and choose it again.',
  },

  // Service tokens
  tokensHeading: { sv: 'Tjänstetoken', en: 'Service tokens' },
  tokensHint: {
    sv: 'Nycklar för andra system, till exempel HR-systemet.',
    en: 'Keys for other systems, such as the HR system.',
  },
  tokensIntro: {
    sv: 'Ett annat system (till exempel HR- eller identitetssystemet) använder en tjänstetoken för att prata med Nyckel. Ge varje system en egen token med bara den behörighet det behöver, och återkalla den när den inte längre behövs.',
    en: 'Another system (such as the HR or identity system) uses a service token to talk to Nyckel. Give each system its own token with only the permissions it needs, and revoke it when it is no longer needed.',
  },
  tokenCreateHeading: { sv: 'Skapa en token', en: 'Create a token' },
  tokenNameHint: {
    sv: 'Vilket system som använder den, till exempel ”HR-systemet Heroma”.',
    en: 'Which system uses it, for example “The HR system Heroma”.',
  },
  tokenNameMissing: { sv: 'Skriv ett namn på token.', en: 'Write a name for the token.' },
  tokenScopes: { sv: 'Behörigheter', en: 'Permissions' },
  tokenScopesMissing: {
    sv: 'Välj minst en behörighet.',
    en: 'Choose at least one permission.',
  },
  scope_identities_write: {
    sv: 'Skriva nyanställda (identities:write)',
    en: 'Write new hires (identities:write)',
  },
  scope_identities_write_hint: {
    sv: 'Systemet får lägga upp och ändra nyanställda och meddela när någon har loggat in första gången.',
    en: 'The system may add and change new hires and report when someone has signed in for the first time.',
  },
  scope_mailboxes_verify: {
    sv: 'Kontrollera brevlådors lösenord (mailboxes:verify)',
    en: 'Check mailbox passwords (mailboxes:verify)',
  },
  scope_mailboxes_verify_hint: {
    sv: 'Systemet får fråga om ett användarnamn och lösenord till en brevlåda stämmer. Det får aldrig se lösenorden.',
    en: 'The system may ask whether a mailbox’s username and password are right. It never sees the passwords.',
  },
  tokenCreate: { sv: 'Skapa token', en: 'Create token' },
  tokenCreatedHeading: { sv: 'Token för {name}', en: 'Token for {name}' },
  tokenOnce: {
    sv: 'Kopiera token nu och lägg in den i det andra systemet. Den visas inte igen. Tappar du bort den skapar du en ny och återkallar den här.',
    en: 'Copy the token now and put it into the other system. It will not be shown again. If you lose it, create a new one and revoke this one.',
  },
  tokenCopy: { sv: 'Kopiera token', en: 'Copy the token' },
  tokenCopied: { sv: 'Token är kopierad.', en: 'The token is copied.' },
  tokenSaved: { sv: 'Jag har sparat den', en: 'I have saved it' },
  tokensListHeading: { sv: 'Alla token', en: 'All tokens' },
  tokensEmpty: { sv: 'Det finns inga tjänstetoken än.', en: 'There are no service tokens yet.' },
  colCreated: { sv: 'Skapad', en: 'Created' },
  colLastUsed: { sv: 'Senast använd', en: 'Last used' },
  neverUsed: { sv: 'Aldrig', en: 'Never' },
  tokenActive: { sv: 'Aktiv', en: 'Active' },
  tokenExpires: { sv: 'Går ut (valfritt)', en: 'Expires (optional)' },
  tokenExpiresHint: {
    sv: 'Sista dagen den fungerar, högst två år fram. Utan datum gäller den tills den återkallas.',
    en: 'The last day it works, at most two years ahead. Without a date it lasts until revoked.',
  },
  tokenExpiresInvalid: {
    sv: 'Välj ett datum från i morgon och högst två år fram.',
    en: 'Choose a date from tomorrow and at most two years ahead.',
  },
  colExpires: { sv: 'Går ut', en: 'Expires' },
  neverExpires: { sv: 'Aldrig', en: 'Never' },
  tokenExpiresSoon: { sv: 'Går ut {date}: byt ut den', en: 'Expires {date}: replace it' },
  tokenExpired: { sv: 'Utgången {date}', en: 'Expired {date}' },
  tokensExpiringHeading: {
    sv: 'Token som snart går ut',
    en: 'Tokens that expire soon',
  },
  tokensExpiringIntro: {
    sv: 'De här slutar fungera inom 30 dagar. Skapa en ny token åt systemet och återkalla den gamla när den nya är på plats.',
    en: 'These stop working within 30 days. Create a new token for the system and revoke the old one once the new one is in place.',
  },
  tokenRevokedAt: { sv: 'Återkallad {date}', en: 'Revoked {date}' },
  tokenRevoke: { sv: 'Återkalla', en: 'Revoke' },
  tokenRevokeHeading: { sv: 'Återkalla {name}?', en: 'Revoke {name}?' },
  tokenRevokeBody: {
    sv: 'Systemet som använder token slutar fungera mot Nyckel direkt. Det går inte att ångra.',
    en: 'The system that uses the token stops working with Nyckel at once. This cannot be undone.',
  },
  tokenRevoked: { sv: '{name} är återkallad.', en: '{name} is revoked.' },

  // Webhook to the directory connector
  webhookHeading: { sv: 'Webhook till katalogen', en: 'Directory webhook' },
  webhookHint: {
    sv: 'Säg till katalogkopplingen när en brevlådas lösenord eller nummer ändras.',
    en: 'Tell the directory connector when a mailbox password or number changes.',
  },
  webhookIntro: {
    sv: 'När en brevlådas lösenord eller mobilnummer ändras skickar Nyckel en signerad händelse till katalogkopplingen, så att katalogen hålls aktuell.',
    en: 'When a mailbox password or mobile number changes, Nyckel sends a signed event to the directory connector, so the directory stays up to date.',
  },
  webhookPasswordNote: {
    sv: 'Lösenordet skickas aldrig med, utom när återskrivning är på – och då bara krypterat till kopplingens publika nyckel. En ändring här kräver en ny inloggning och mejlas till alla andra administratörer.',
    en: 'The password is never sent unless writeback is on – and then only encrypted to the connector’s public key. A change here needs a fresh sign-in and is e-mailed to every other administrator.',
  },
  webhookStateHeading: { sv: 'Läget nu', en: 'Status now' },
  webhookOn: { sv: 'På', en: 'On' },
  webhookOff: { sv: 'Av', en: 'Off' },
  webhookActive: {
    sv: 'Webhooken är på. Varje ändring skickas direkt till mottagaren.',
    en: 'The webhook is on. Every change is sent to the receiver at once.',
  },
  webhookNoSecret: {
    sv: 'Webhooken är av: WEBHOOK_SECRET saknas – be driften lägga in den med wrangler secret put.',
    en: 'The webhook is off: WEBHOOK_SECRET is missing – ask operations to add it with wrangler secret put.',
  },
  webhookNoUrl: {
    sv: 'Webhooken är av: det finns ingen mottagaradress. Välj en adress nedan.',
    en: 'The webhook is off: there is no receiver address. Choose one below.',
  },
  webhookNothingStored: {
    sv: 'Så länge webhooken är av sparas inga händelser, och de skickas inte heller i efterhand.',
    en: 'While the webhook is off, no events are stored, and none are sent later either.',
  },
  webhookReceiver: { sv: 'Mottagare', en: 'Receiver' },
  webhookNoReceiver: { sv: 'Ingen', en: 'None' },
  webhookSourceDefault: {
    sv: 'Standardadressen från driften (WEBHOOK_URL).',
    en: 'The default address from operations (WEBHOOK_URL).',
  },
  webhookSourceSettings: { sv: 'Ändrad här.', en: 'Changed here.' },
  webhookWritebackOn: {
    sv: 'På – nya lösenord skickas krypterade',
    en: 'On – new passwords are sent encrypted',
  },
  webhookWritebackOff: { sv: 'Av – inga lösenord skickas', en: 'Off – no passwords are sent' },
  webhookFingerprint: { sv: 'Kopplingens nyckel', en: 'The connector’s key' },
  webhookFingerprintHint: {
    sv: 'Fingeravtryck (SHA-256). Jämför med kopplingens nyckel; det står också som kid i varje krypterat lösenord.',
    en: 'Fingerprint (SHA-256). Compare it with the connector’s key; it is also the kid of every encrypted password.',
  },
  webhookNoKey: { sv: 'Ingen nyckel sparad', en: 'No key saved' },
  webhookFormHeading: { sv: 'Ändra inställningarna', en: 'Change the settings' },
  webhookTarget: { sv: 'Vart ska händelserna skickas?', en: 'Where should events go?' },
  webhookTargetDefault: {
    sv: 'Till standardadressen från driften',
    en: 'To the default address from operations',
  },
  webhookTargetDefaultHint: { sv: 'WEBHOOK_URL: {url}', en: 'WEBHOOK_URL: {url}' },
  webhookTargetDefaultNone: {
    sv: 'WEBHOOK_URL är tom, så det här valet stänger av webhooken.',
    en: 'WEBHOOK_URL is empty, so this choice turns the webhook off.',
  },
  webhookTargetCustom: { sv: 'Till en annan adress', en: 'To another address' },
  webhookTargetOff: { sv: 'Ingenstans – stäng av webhooken', en: 'Nowhere – turn the webhook off' },
  webhookTargetOffHint: {
    sv: 'Ändringar sparas inte och skickas inte heller senare.',
    en: 'Changes are not stored and not sent later either.',
  },
  webhookUrl: { sv: 'Mottagarens adress', en: 'The receiver’s address' },
  webhookUrlHint: {
    sv: 'Börjar med https://, till exempel https://katalog.kommun.se/nyckel. Inget användarnamn eller lösenord i adressen – signaturen visar att händelsen kommer från Nyckel.',
    en: 'Starts with https://, for example https://directory.example.se/nyckel. No user name or password in the address – the signature shows the event comes from Nyckel.',
  },
  webhookUrlMissing: { sv: 'Skriv mottagarens adress.', en: 'Write the receiver’s address.' },
  webhookUrlNotUrl: {
    sv: 'Adressen är inte en webbadress. Skriv den som https://katalog.kommun.se/nyckel.',
    en: 'The address is not a web address. Write it like https://directory.example.se/nyckel.',
  },
  webhookUrlNotHttps: {
    sv: 'Adressen måste börja med https://, eftersom händelserna innehåller mobilnummer.',
    en: 'The address must start with https://, because the events contain mobile numbers.',
  },
  webhookUrlCredentials: {
    sv: 'Ta bort användarnamn och lösenord ur adressen. Signaturen räcker.',
    en: 'Remove the user name and password from the address. The signature is enough.',
  },
  webhookUrlFragment: {
    sv: 'Ta bort delen efter # ur adressen.',
    en: 'Remove the part after # from the address.',
  },
  webhookWritebackLegend: { sv: 'Återskrivning av lösenord', en: 'Password writeback' },
  webhookWriteback: {
    sv: 'Skicka det nya lösenordet till katalogen',
    en: 'Send the new password to the directory',
  },
  webhookWritebackHint: {
    sv: 'Lösenordet krypteras till kopplingens publika nyckel innan det lämnar Nyckel. Bara kopplingen kan läsa det.',
    en: 'The password is encrypted to the connector’s public key before it leaves Nyckel. Only the connector can read it.',
  },
  webhookWritebackNeedsKey: {
    sv: 'Återskrivning behöver kopplingens publika nyckel. Klistra in den i fältet för nyckeln, eller stäng av återskrivning.',
    en: 'Writeback needs the connector’s public key. Paste it into the key field, or turn writeback off.',
  },
  webhookKey: { sv: 'Kopplingens publika nyckel (JWK)', en: 'The connector’s public key (JWK)' },
  webhookKeyHint: {
    sv: 'Behövs bara för återskrivning. Klistra in den publika nyckeln som JSON, till exempel {"kty":"RSA","n":"…","e":"AQAB"}: RSA med minst 2048 bitar, aldrig den privata nyckeln.',
    en: 'Needed for writeback only. Paste the public key as JSON, for example {"kty":"RSA","n":"…","e":"AQAB"}: RSA of at least 2048 bits, never the private key.',
  },
  webhookKeyStoredHint: {
    sv: 'Den sparade nyckeln visas inte här. Lämna rutan tom för att behålla den, eller klistra in en ny.',
    en: 'The saved key is not shown here. Leave the box empty to keep it, or paste a new one.',
  },
  webhookRemoveKey: { sv: 'Ta bort den sparade nyckeln', en: 'Remove the saved key' },
  webhookRemoveKeyHint: {
    sv: 'Återskrivning kräver en nyckel, så stäng av den samtidigt.',
    en: 'Writeback needs a key, so turn it off at the same time.',
  },
  webhookKeyNotJson: {
    sv: 'Nyckeln är inte giltig JSON. Klistra in hela nyckeln, från { till }.',
    en: 'The key is not valid JSON. Paste the whole key, from { to }.',
  },
  webhookKeyNotObject: {
    sv: 'Nyckeln ska vara ett JWK-objekt, till exempel {"kty":"RSA","n":"…","e":"AQAB"}.',
    en: 'The key must be a JWK object, for example {"kty":"RSA","n":"…","e":"AQAB"}.',
  },
  webhookKeyPrivate: {
    sv: 'Det här är en privat nyckel. Klistra bara in den publika delen (kty, n och e).',
    en: 'This is a private key. Paste only the public part (kty, n and e).',
  },
  webhookKeyBits: {
    sv: 'Nyckeln är för kort. Den måste vara en RSA-nyckel med minst 2048 bitar.',
    en: 'The key is too short. It must be an RSA key of at least 2048 bits.',
  },
  webhookKeyNotRsa: {
    sv: 'Nyckeln måste vara en RSA-nyckel ("kty": "RSA").',
    en: 'The key must be an RSA key ("kty": "RSA").',
  },
  webhookKeyUnusable: {
    sv: 'Nyckeln går inte att använda för kryptering med RSA-OAEP-256. Kontrollera att n och e är hela och att alg och use, om de finns, är RSA-OAEP-256 och enc.',
    en: 'The key cannot be used for RSA-OAEP-256 encryption. Check that n and e are complete and that alg and use, if present, are RSA-OAEP-256 and enc.',
  },
  webhookRefused: {
    sv: 'Inställningarna kunde inte sparas. Kontrollera fälten och försök igen.',
    en: 'The settings could not be saved. Check the fields and try again.',
  },
  webhookSave: { sv: 'Spara inställningarna', en: 'Save the settings' },
  webhookSavedOn: {
    sv: 'Inställningarna är sparade. Webhooken är på.',
    en: 'The settings are saved. The webhook is on.',
  },
  webhookSavedOff: {
    sv: 'Inställningarna är sparade. Webhooken är av.',
    en: 'The settings are saved. The webhook is off.',
  },
  webhookTestHeading: { sv: 'Testa mottagaren', en: 'Test the receiver' },
  webhookTestIntro: {
    sv: 'Skickar en signerad testhändelse (ping) till mottagaren nu. Den sparas inte och skickas inte igen.',
    en: 'Sends a signed test event (ping) to the receiver now. It is not stored and not sent again.',
  },
  webhookTest: { sv: 'Skicka testhändelse', en: 'Send a test event' },
  webhookTestDelivered: {
    sv: 'Testhändelsen kom fram. Mottagaren svarade {status}.',
    en: 'The test event arrived. The receiver answered {status}.',
  },
  webhookTestHttp: {
    sv: 'Testhändelsen kom inte fram: mottagaren svarade {status}. Kontrollera att kopplingen har samma WEBHOOK_SECRET som Nyckel.',
    en: 'The test event did not arrive: the receiver answered {status}. Check that the connector has the same WEBHOOK_SECRET as Nyckel.',
  },
  webhookTestRedirect: {
    sv: 'Testhändelsen kom inte fram: mottagaren svarade med en omdirigering ({status}), och sådana följer Nyckel inte. Skriv den slutliga adressen.',
    en: 'The test event did not arrive: the receiver answered with a redirect ({status}), which Nyckel does not follow. Write the final address.',
  },
  webhookTestTimeout: {
    sv: 'Testhändelsen kom inte fram: mottagaren svarade inte i tid.',
    en: 'The test event did not arrive: the receiver did not answer in time.',
  },
  webhookTestNetwork: {
    sv: 'Testhändelsen kom inte fram: det gick inte att nå mottagaren alls. Kontrollera adressen, och att mottagaren är igång och går att nå härifrån.',
    en: 'The test event did not arrive: the receiver could not be reached at all. Check the address, and that the receiver is running and can be reached from here.',
  },
  webhookTestNoSecret: {
    sv: 'Ingen testhändelse skickades: WEBHOOK_SECRET saknas – be driften lägga in den med wrangler secret put.',
    en: 'No test event was sent: WEBHOOK_SECRET is missing – ask operations to add it with wrangler secret put.',
  },
  webhookTestNoUrl: {
    sv: 'Ingen testhändelse skickades: det finns ingen mottagaradress.',
    en: 'No test event was sent: there is no receiver address.',
  },
  webhookDeliveriesHeading: { sv: 'Leveranser', en: 'Deliveries' },
  webhookDeliveriesHint: {
    sv: 'Det som inte kommer fram försöks igen, allt glesare. Händelser sparas i 30 dagar efter att de kommit fram eller getts upp.',
    en: 'What does not arrive is tried again, less and less often. Events are kept for 30 days after they arrived or were given up.',
  },
  webhookPending: { sv: 'Väntar', en: 'Waiting' },
  webhookDelivering: { sv: 'Skickas nu', en: 'Being sent' },
  webhookDelivered: { sv: 'Kom fram', en: 'Arrived' },
  webhookFailed: { sv: 'Gavs upp', en: 'Given up' },
  webhookFailedNote: {
    sv: 'Händelser som aldrig kom fram, trots alla försök: {n}. De skickas inte igen – kontrollera mottagaren och uppdatera katalogen för hand.',
    en: 'Events that never arrived, despite every attempt: {n}. They will not be sent again – check the receiver and update the directory by hand.',
  },
  webhookRecentHeading: { sv: 'Senaste händelserna', en: 'Latest events' },
  webhookRecentEmpty: { sv: 'Inga händelser än.', en: 'No events yet.' },
  webhookColEvent: { sv: 'Händelse', en: 'Event' },
  webhookColAttempts: { sv: 'Försök', en: 'Attempts' },
  webhookColAnswer: { sv: 'Senaste svar', en: 'Last answer' },
  webhookEventPassword: { sv: 'Lösenord bytt', en: 'Password changed' },
  webhookEventPhone: { sv: 'Mobilnummer bytt', en: 'Mobile number changed' },
  webhookNextAttempt: { sv: 'Nytt försök {time}', en: 'Next attempt {time}' },
  webhookAnswerTimeout: { sv: 'Inget svar i tid', en: 'No answer in time' },
  webhookAnswerNetwork: { sv: 'Nådde inte mottagaren', en: 'Could not reach the receiver' },
  webhookAnswerStuck: { sv: 'Avbröts mitt i', en: 'Cut off midway' },

  // The domain directory through the connector
  dirHeading: { sv: 'Katalog', en: 'Directory' },
  dirHint: {
    sv: 'Kopplingen till kommunens domän: läget, kopplingarna och import av konton.',
    en: 'The link to the municipality’s domain: its state, the connectors and importing accounts.',
  },
  dirIntro: {
    sv: 'En koppling (nyckel-connector) körs på en server i kommunens nät och ringer upp Nyckel. Genom den kontrollerar och byter Nyckel lösenord direkt i domänen för brevlådor som är kopplade till ett domänkonto.',
    en: 'A connector (nyckel-connector) runs on a server in the municipality’s network and calls Nyckel. Through it Nyckel checks and changes passwords directly in the domain for mailboxes linked to a domain account.',
  },
  dirStateHeading: { sv: 'Läget nu', en: 'Status now' },
  dirStateLocalBadge: { sv: 'Ingen katalog', en: 'No directory' },
  dirStateConnectedBadge: { sv: 'Ansluten', en: 'Connected' },
  dirStateOfflineBadge: { sv: 'Inte ansluten', en: 'Not connected' },
  dirStateLocal: {
    sv: 'Lösenorden finns i Nyckel (ingen katalog). Registrera en koppling nedan för att använda domänen.',
    en: 'The passwords are kept in Nyckel (no directory). Register a connector below to use the domain.',
  },
  dirStateConnected: {
    sv: 'En koppling är ansluten. Lösenord för domänkonton kontrolleras och byts i domänen.',
    en: 'A connector is connected. Passwords of domain accounts are checked and changed in the domain.',
  },
  dirStateOffline: {
    sv: 'Ingen koppling är ansluten just nu. Brevlådor med domänkonto kan inte logga in eller byta lösenord förrän en koppling ansluter.',
    en: 'No connector is connected right now. Mailboxes with a domain account cannot sign in or change their password until a connector connects.',
  },
  dirStateOfflineTodo: {
    sv: 'Gör så här: kontrollera att tjänsten nyckel-connector körs på servern, att den når Nyckel över https, och läs felen längre ned. En koppling som inte är registrerad här, eller som är återkallad, släpps inte in.',
    en: 'What to do: check that the nyckel-connector service runs on the server and reaches Nyckel over https, and read the errors further down. A connector that is not registered here, or that is revoked, is not let in.',
  },
  dirPolicyHeading: { sv: 'Domänens lösenordsregler', en: 'The domain’s password rules' },
  dirPolicyUnknown: {
    sv: 'Domänens regler är inte kända än. De läses när en koppling ansluter.',
    en: 'The domain’s rules are not known yet. They are read when a connector connects.',
  },
  dirLockoutThreshold: { sv: 'Låses efter', en: 'Locked after' },
  dirLockoutAttempts: { sv: '{n} felaktiga försök', en: '{n} wrong attempts' },
  dirLockoutNever: { sv: 'Låses aldrig', en: 'Never locked' },
  dirObservationWindow: { sv: 'Felförsöken räknas under', en: 'Wrong attempts counted over' },
  dirHistoryLength: { sv: 'Historik', en: 'History' },
  dirHistoryCount: {
    sv: 'De {n} senaste lösenorden kan inte återanvändas',
    en: 'The last {n} passwords cannot be reused',
  },
  dirMinLength: { sv: 'Minsta längd', en: 'Minimum length' },
  dirMinLengthChars: { sv: '{n} tecken', en: '{n} characters' },
  dirMinAge: { sv: 'Minsta ålder innan byte', en: 'Minimum age before a change' },
  dirNone: { sv: 'Ingen', en: 'None' },
  dirConnectorsHeading: { sv: 'Kopplingar', en: 'Connectors' },
  dirConnectorsEmpty: { sv: 'Ingen koppling är registrerad.', en: 'No connector is registered.' },
  dirColConnector: { sv: 'Koppling', en: 'Connector' },
  dirColConnection: { sv: 'Anslutning', en: 'Connection' },
  dirColVersion: { sv: 'Version', en: 'Version' },
  dirColDc: { sv: 'Domänkontrollant', en: 'Domain controller' },
  dirColLastJob: { sv: 'Senaste jobb', en: 'Last job' },
  dirConnectedSince: { sv: 'Ansluten sedan {time}', en: 'Connected since {time}' },
  dirNotConnected: { sv: 'Inte ansluten', en: 'Not connected' },
  dirRevokedBadge: { sv: 'Återkallad', en: 'Revoked' },
  dirUnknown: { sv: 'Okänd', en: 'Unknown' },
  dirNoJob: { sv: 'Inget än', en: 'None yet' },
  dirRevoke: { sv: 'Återkalla', en: 'Revoke' },
  dirRevokeHeading: { sv: 'Återkalla {name}?', en: 'Revoke {name}?' },
  dirRevokeBody: {
    sv: 'Kopplingen kopplas ned direkt och släpps inte in igen. Finns ingen annan koppling kan brevlådor med domänkonto inte logga in eller byta lösenord. Det går inte att ångra – registrera nya nycklar i stället.',
    en: 'The connector is cut off at once and not let in again. Without another connector, mailboxes with a domain account cannot sign in or change their password. This cannot be undone – register new keys instead.',
  },
  dirRevoked: { sv: '{name} är återkallad.', en: '{name} is revoked.' },
  dirOp_verify: { sv: 'Kontroll av lösenord', en: 'Password check' },
  dirOp_change: { sv: 'Lösenordsbyte', en: 'Password change' },
  dirOp_reset: { sv: 'Återställning', en: 'Reset' },
  dirOp_unlock: { sv: 'Upplåsning', en: 'Unlock' },
  dirOp_must_change: { sv: 'Krav på byte', en: 'Must change' },
  dirOp_find: { sv: 'Sökning', en: 'Look-up' },
  dirOp_list: { sv: 'Lista konton', en: 'List accounts' },
  dirOp_health: { sv: 'Hälsokontroll', en: 'Health check' },
  dirOp_hello: { sv: 'Anslutning', en: 'Connection' },
  dirErrorsHeading: { sv: 'Senaste felen', en: 'Latest errors' },
  dirErrorsEmpty: { sv: 'Inga fel.', en: 'No errors.' },
  dirColError: { sv: 'Fel', en: 'Error' },
  dirColDetail: { sv: 'Detaljer', en: 'Details' },
  dirUnknownConnector: { sv: 'Okänd koppling', en: 'Unknown connector' },
  dirRegisterHeading: { sv: 'Registrera en koppling', en: 'Register a connector' },
  dirRegisterIntro: {
    sv: 'Kopplingen skriver ut sina publika nycklar med npm run connector:keys (eller nyckel-connector keys) – klistra in hela utskriften här.',
    en: 'The connector prints its public keys with npm run connector:keys (or nyckel-connector keys) – paste the whole output here.',
  },
  dirNameHint: {
    sv: 'Så att du känner igen den, till exempel Servern i stadshuset.',
    en: 'So that you recognise it, for example The server in the town hall.',
  },
  dirNameMissing: { sv: 'Skriv ett namn på kopplingen.', en: 'Enter a name for the connector.' },
  dirKeys: { sv: 'Kopplingens publika nycklar (JSON)', en: 'The connector’s public keys (JSON)' },
  dirKeysHint: {
    sv: 'Börjar med {"signingKey": och innehåller bara publika nycklar.',
    en: 'Starts with {"signingKey": and holds public keys only.',
  },
  dirKeysMissing: {
    sv: 'Klistra in nycklarna som kopplingen skrev ut.',
    en: 'Paste the keys the connector printed.',
  },
  dirKeysNotJson: {
    sv: 'Nycklarna är inte giltig JSON. Klistra in hela utskriften, från { till }.',
    en: 'The keys are not valid JSON. Paste the whole output, from { to }.',
  },
  dirKeysShape: {
    sv: 'Det saknas signingKey eller encryptionKey. Klistra in hela utskriften från kopplingen.',
    en: 'signingKey or encryptionKey is missing. Paste the whole output of the connector.',
  },
  dirSigningKeyBad: {
    sv: 'Signeringsnyckeln (signingKey) är inte en publik Ed25519-nyckel.',
    en: 'The signing key (signingKey) is not an Ed25519 public key.',
  },
  dirEncryptionKeyPrefix: {
    sv: 'Krypteringsnyckeln (encryptionKey):',
    en: 'The encryption key (encryptionKey):',
  },
  dirKeysConflict: {
    sv: 'De här nycklarna är redan registrerade. En återkallad koppling behöver nya nycklar.',
    en: 'These keys are already registered. A revoked connector needs new keys.',
  },
  dirRegister: { sv: 'Registrera kopplingen', en: 'Register the connector' },
  dirRegisteredHeading: { sv: '{name} är registrerad', en: '{name} is registered' },
  dirRegisteredId: { sv: 'Kopplingens id', en: 'The connector’s id' },
  dirRegisteredNext: {
    sv: 'Jämför id:t med det kopplingen skriver ut, och starta den. Den syns som ansluten här när den har ringt upp.',
    en: 'Compare the id with the one the connector prints, and start it. It shows as connected here once it has called.',
  },
  dirRegisterAnother: { sv: 'Registrera en till', en: 'Register another' },
  dirImportHeading: { sv: 'Importera från katalogen', en: 'Import from the directory' },
  dirImportIntro: {
    sv: 'Domänkontona i kopplingens OU:er blir brevlådor i enheten, kopplade till sina konton. Konton som redan finns hoppas över, så det går att köra igen.',
    en: 'The domain accounts in the connector’s OUs become mailboxes of the unit, linked to their accounts. Accounts already there are skipped, so it can be run again.',
  },
  dirImportUnit: { sv: 'Enhet som får brevlådorna', en: 'Unit that gets the mailboxes' },
  dirImportOu: { sv: 'OU', en: 'OU' },
  dirImportOuHint: {
    sv: 'Ett av kopplingens OU:er, till exempel OU=Brevlador,DC=kommun,DC=se. Tomt: alla.',
    en: 'One of the connector’s OUs, for example OU=Brevlador,DC=kommun,DC=se. Empty: all of them.',
  },
  dirImport: { sv: 'Importera', en: 'Import' },
  dirImportResult: {
    sv: 'Importen är klar. Nya brevlådor: {created}. Hoppades över: {skipped}.',
    en: 'The import is done. New mailboxes: {created}. Skipped: {skipped}.',
  },
  dirImportResultHeading: { sv: 'Resultat av importen', en: 'Result of the import' },
  dirImportNeedsConnector: {
    sv: 'Registrera och starta en koppling först – importen läser kontona genom den.',
    en: 'Register and start a connector first – the import reads the accounts through it.',
  },
  dirImportCreated: { sv: 'Nya brevlådor', en: 'New mailboxes' },
  dirImportSkipped: { sv: 'Hoppades över', en: 'Skipped' },
  dirImportNone: { sv: 'Inga.', en: 'None.' },
  dirSkip_invalid_username: {
    sv: 'Användarnamnet går inte att använda i Nyckel',
    en: 'The username cannot be used in Nyckel',
  },
  dirSkip_disabled: {
    sv: 'Kontot är avstängt i domänen',
    en: 'The account is disabled in the domain',
  },
  dirSkip_linked: {
    sv: 'Redan kopplat till en brevlåda',
    en: 'Already linked to a mailbox',
  },
  dirSkip_username_taken: {
    sv: 'En annan brevlåda har redan det användarnamnet',
    en: 'Another mailbox already has that username',
  },
  dirSkip_limit: {
    sv: 'Fler än 200 på en gång – kör importen igen',
    en: 'More than 200 at once – run the import again',
  },

  // Linking a mailbox to a domain account
  linkAction: { sv: 'Koppla till domänkonto', en: 'Link to a domain account' },
  linkHeading: {
    sv: 'Koppla {username} till ett domänkonto',
    en: 'Link {username} to a domain account',
  },
  linkBody: {
    sv: 'Brevlådans lösenord finns sedan i domänen: inloggning och byten går genom kopplingen.',
    en: 'The mailbox password then lives in the domain: sign-in and changes go through the connector.',
  },
  linkUsername: { sv: 'Domänkontots användarnamn', en: 'The domain account’s username' },
  linkUsernameHint: {
    sv: 'Som sAMAccountName i domänen. Kontot måste ligga i kopplingens OU:er.',
    en: 'As sAMAccountName in the domain. The account must be in the connector’s OUs.',
  },
  linkSetPassword: {
    sv: 'Sätt också ett nytt lösenord i domänen',
    en: 'Also set a new password in the domain',
  },
  linkSetPasswordHint: {
    sv: 'Annars gäller kontots nuvarande lösenord i domänen.',
    en: 'Otherwise the account’s current password in the domain stays.',
  },
  linkConfirm: { sv: 'Koppla brevlådan', en: 'Link the mailbox' },
  linkNotFound: {
    sv: 'Det finns inget sådant konto i kopplingens OU:er.',
    en: 'There is no such account in the connector’s OUs.',
  },
  linkConflict: {
    sv: 'Domänkontot är redan kopplat till en annan brevlåda.',
    en: 'The domain account is already linked to another mailbox.',
  },
  linkDone: {
    sv: '{username} är kopplad till domänkontot {dn}.',
    en: '{username} is linked to the domain account {dn}.',
  },
} as const;

export const adminTexts = createTexts(TEXT, MANAGE_COMMON);
export type AdminTextKey = TextKeyOf<typeof TEXT, typeof MANAGE_COMMON>;
export const useAdminT = adminTexts.useTexts;
