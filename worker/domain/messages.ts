import type { Language } from './language';

/**
 * Every error code the API answers with, its HTTP status, and the text a person reads
 * (the message follows Accept-Language, Swedish by default). One closed set, so
 * a client can switch on `error` and nothing else leaks into a response.
 */
export const ERRORS = {
  invalid_request: {
    status: 400,
    sv: 'Förfrågan kunde inte läsas. Kontrollera uppgifterna och försök igen.',
    en: 'The request could not be read. Check the details and try again.',
  },
  invalid_phone: {
    status: 400,
    sv: 'Numret ser inte ut som ett mobilnummer som kan ta emot sms. Skriv till exempel 070-123 45 67.',
    en: 'That does not look like a mobile number that can receive text messages. Write it like 070-123 45 67.',
  },
  invalid_code: {
    status: 400,
    sv: 'Koden stämmer inte. Kontrollera sms:et och försök igen.',
    en: 'The code is not correct. Check the text message and try again.',
  },
  invalid_app_code: {
    status: 400,
    sv: 'Koden stämmer inte. Skriv den kod som autentiseringsappen visar just nu.',
    en: 'The code is not correct. Enter the code your authenticator app shows right now.',
  },
  invalid_credentials: {
    status: 401,
    sv: 'Fel användarnamn eller lösenord.',
    en: 'Wrong username or password.',
  },
  sign_in_failed: {
    status: 401,
    sv: 'Inloggningen gick inte igenom. Försök igen, eller be om en ny inbjudan om du har bytt mobil eller dator.',
    en: 'Sign-in did not succeed. Try again, or ask for a new invite if you have changed phone or computer.',
  },
  // A refused SITHS card says why: the certificate is the caller's own, so nothing here tells
  // anyone about someone else. Only with a valid, accepted certificate does the answer say
  // that nobody has its HSA-id.
  card_off: {
    status: 401,
    sv: 'Inloggning med SITHS-kort används inte här. Logga in med lösenordsnyckel eller engångskod.',
    en: 'Sign-in with a SITHS card is not used here. Sign in with a passkey or a one-time code.',
  },
  card_missing: {
    status: 401,
    sv: 'Inget kort lästes. Sätt kortet i läsaren, stäng alla webbläsarfönster och öppna sidan igen, och välj ditt SITHS-certifikat när webbläsaren frågar.',
    en: 'No card was read. Put the card in the reader, close every browser window, open the page again and choose your SITHS certificate when the browser asks.',
  },
  card_not_accepted: {
    status: 401,
    sv: 'Certifikatet på kortet godtas inte här: det kommer inte från en utfärdare som Nyckel litar på. Använd ditt SITHS-kort (e-tjänstekort).',
    en: 'The certificate on the card is not accepted here: it is not from an issuer Nyckel trusts. Use your SITHS card.',
  },
  card_revoked: {
    status: 401,
    sv: 'Certifikatet på kortet är spärrat. Kontakta den som lämnar ut SITHS-kort hos er.',
    en: 'The certificate on the card is revoked. Contact whoever issues SITHS cards in your organisation.',
  },
  card_expired: {
    status: 401,
    sv: 'Certifikatet på kortet har gått ut. Förnya kortet hos den som lämnar ut SITHS-kort hos er.',
    en: 'The certificate on the card has expired. Renew the card with whoever issues SITHS cards in your organisation.',
  },
  card_not_yet_valid: {
    status: 401,
    sv: 'Certifikatet på kortet gäller inte än. Försök igen när det har börjat gälla, eller kontrollera datorns klocka.',
    en: 'The certificate on the card is not valid yet. Try again once it is, or check the computer’s clock.',
  },
  card_no_hsa_id: {
    status: 401,
    sv: 'Certifikatet på kortet har inget HSA-id. Välj certifikatet för legitimering (inte underskrift) när webbläsaren frågar.',
    en: 'The certificate on the card has no HSA-id. Choose the identification certificate (not the signing one) when the browser asks.',
  },
  card_unknown_person: {
    status: 401,
    sv: 'Ingen aktiv användare i Nyckel har HSA-id:t på ditt kort. Be administratören lägga in ditt HSA-id, eller logga in på annat sätt.',
    en: 'No active user in Nyckel has the HSA-id on your card. Ask the administrator to add your HSA-id, or sign in another way.',
  },
  unauthorized: {
    status: 401,
    sv: 'Du är inte inloggad, eller så har inloggningen gått ut. Logga in igen.',
    en: 'You are not signed in, or your sign-in has expired. Sign in again.',
  },
  invalid_token: {
    status: 401,
    sv: 'Återställningen kan inte slutföras härifrån. Börja om med ditt användarnamn.',
    en: 'The reset cannot be completed from here. Start again with your username.',
  },
  internal_network: {
    status: 403,
    sv: 'Det här måste göras utanför kommunens nätverk. Stäng av wifi och använd mobildata, och försök igen.',
    en: 'This must be done outside the municipal network. Turn off Wi-Fi, use mobile data and try again.',
  },
  forbidden_origin: {
    status: 403,
    sv: 'Förfrågan kom inte från Nyckel och har stoppats. Öppna appen och försök igen.',
    en: 'The request did not come from Nyckel and was stopped. Open the app and try again.',
  },
  forbidden: {
    status: 403,
    sv: 'Du har inte behörighet att göra det här.',
    en: 'You are not allowed to do this.',
  },
  password_change_required: {
    status: 403,
    sv: 'Lösenordet måste bytas innan något annat görs: det är för gammalt, eller så kräver domänen ett nytt. Byt lösenordet först.',
    en: 'The password must be changed before anything else: it is past its due date, or the domain requires a new one. Change the password first.',
  },
  step_up_required: {
    status: 403,
    sv: 'Bekräfta att det är du med din lösenordsnyckel eller engångskod innan du fortsätter.',
    en: 'Confirm it is you with your passkey or one-time code before you continue.',
  },
  not_found: {
    status: 404,
    sv: 'Det finns inget här.',
    en: 'There is nothing here.',
  },
  expired: {
    status: 410,
    sv: 'Koden eller återställningen har gått ut eller redan använts. Börja om för att få en ny kod.',
    en: 'The code or reset has expired or was already used. Start again to get a new code.',
  },
  conflict: {
    status: 409,
    sv: 'Det finns redan, eller har ändrats av någon annan. Ladda om och försök igen.',
    en: 'It already exists, or someone else changed it. Reload and try again.',
  },
  confirmation_required: {
    status: 409,
    sv: 'Ändringen har stora följder och måste bekräftas. Skicka den igen med confirm: true.',
    en: 'The change has wide consequences and must be confirmed. Send it again with confirm: true.',
  },
  invite_invalid: {
    status: 410,
    sv: 'Inbjudningslänken är ogiltig, har gått ut eller har redan använts. Be om en ny inbjudan.',
    en: 'The invite link is not valid, has expired or was already used. Ask for a new invite.',
  },
  initial_password_used: {
    status: 410,
    sv: 'Personen har redan loggat in och valt ett eget lösenord. Det initiala lösenordet finns inte längre.',
    en: 'The person has already logged in and chosen their own password. The initial password no longer exists.',
  },
  initial_password_withdrawn: {
    status: 410,
    sv: 'Anställningen avslutades före den första inloggningen, så det initiala lösenordet är borttaget.',
    en: 'The employment ended before the first login, so the initial password was deleted.',
  },
  share_unavailable: {
    status: 410,
    sv: 'Lösenordet kan inte delas härifrån längre: erbjudandet har gått ut eller använts, eller så har alla redan sett det. Sätt ett nytt lösenord för att dela igen.',
    en: 'The password can no longer be shared from here: the offer has expired or was used, or everyone has already seen it. Set a new password to share again.',
  },
  handover_invalid: {
    status: 404,
    sv: 'Länken fungerar inte. Kontrollera att hela länken från sms:et kom med.',
    en: 'The link does not work. Check that the whole link from the text message was opened.',
  },
  handover_spent: {
    status: 410,
    sv: 'Lösenordet har redan visats, eller så har länken gått ut eller ersatts. Be den som bytte lösenordet om en ny länk.',
    en: 'The password has already been shown, or the link has expired or been replaced. Ask the person who changed the password for a new link.',
  },
  upgrade_required: {
    status: 426,
    sv: 'Den här adressen är bara för katalogkopplingens WebSocket.',
    en: "This address is only for the directory connector's WebSocket.",
  },
  payload_too_large: {
    status: 413,
    sv: 'Förfrågan är för stor.',
    en: 'The request is too large.',
  },
  unsupported_media_type: {
    status: 415,
    sv: 'Förfrågan måste skickas som JSON (Content-Type: application/json).',
    en: 'The request must be sent as JSON (Content-Type: application/json).',
  },
  // Turnstile, Cloudflare's challenge, is asked only after unusually many attempts from one
  // network or against one account; the answer carries the site key the widget needs.
  challenge_required: {
    status: 428,
    sv: 'Det har gjorts ovanligt många försök härifrån. Bekräfta att du är en människa och försök igen.',
    en: 'There have been unusually many attempts from here. Confirm that you are a person and try again.',
  },
  challenge_failed: {
    status: 403,
    sv: 'Kontrollen av att du är en människa gick inte igenom. Gör kontrollen igen och försök på nytt.',
    en: 'The check that you are a person did not pass. Do the check again and try once more.',
  },
  challenge_unavailable: {
    status: 503,
    sv: 'Kontrollen av att du är en människa kan inte göras just nu. Vänta en stund och försök igen.',
    en: 'The check that you are a person cannot be done right now. Wait a moment and try again.',
  },
  policy: {
    status: 422,
    sv: 'Lösenordet uppfyller inte kraven.',
    en: 'The password does not meet the requirements.',
  },
  locked: {
    status: 423,
    sv: 'För många felaktiga försök. Vänta en stund och försök igen.',
    en: 'Too many wrong attempts. Wait a while and try again.',
  },
  rate_limited: {
    status: 429,
    sv: 'För många försök just nu. Vänta en stund och försök igen.',
    en: 'Too many attempts right now. Wait a while and try again.',
  },
  // The daily cap on wrong reset codes (RESET_FAILED_CODES_PER_DAY), per submitted username:
  // said the same for every name, real or not. The wait until midnight comes as retryAfter.
  reset_blocked_today: {
    status: 429,
    sv: 'För många felaktiga koder i dag för det här användarnamnet. Försök igen i morgon, eller be din chef låsa upp brevlådan i Nyckel.',
    en: 'Too many wrong codes today for this username. Try again tomorrow, or ask your manager to unlock the mailbox in Nyckel.',
  },
  internal: {
    status: 500,
    sv: 'Något gick fel hos oss. Försök igen om en stund.',
    en: 'Something went wrong on our side. Try again in a moment.',
  },
  sms_unavailable: {
    status: 503,
    sv: 'Sms kunde inte skickas just nu. Inget har sparats. Försök igen om en stund.',
    en: 'The text message could not be sent right now. Nothing was saved. Try again in a moment.',
  },
  directory_unavailable: {
    status: 503,
    // The wait comes with the error (retryAfter), and the app says it after this text.
    sv: 'Nyckel når inte kommunens katalog (domänen) just nu. Inget har ändrats.',
    en: "Nyckel cannot reach the municipality's directory (the domain) right now. Nothing was changed.",
  },
  directory_refused: {
    status: 502,
    sv: 'Domänen tog inte emot ändringen, så inget har ändrats. Kontakta support och berätta vad du försökte göra.',
    en: 'The domain did not accept the change, so nothing was changed. Contact support and say what you were trying to do.',
  },
  account_locked: {
    status: 423,
    sv: 'Kontot är låst i domänen efter för många felaktiga inloggningar. Återställ lösenordet med sms-kod, be din chef låsa upp kontot i Nyckel, eller kontakta support.',
    en: 'The account is locked in the domain after too many wrong sign-ins. Reset the password with a text-message code, ask your manager to unlock it in Nyckel, or contact support.',
  },
  account_disabled: {
    status: 403,
    sv: 'Kontot är avstängt i domänen. Kontakta support.',
    en: 'The account is disabled in the domain. Contact support.',
  },
  account_expired: {
    status: 403,
    sv: 'Kontot har gått ut i domänen. Kontakta support.',
    en: 'The account has expired in the domain. Contact support.',
  },
  retry_later: {
    status: 503,
    sv: 'Tjänsten är tillfälligt upptagen. Försök igen om några sekunder.',
    en: 'The service is briefly busy. Try again in a few seconds.',
  },
} as const satisfies Record<string, { status: number; sv: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function errorMessage(code: ErrorCode, lang: Language): string {
  return ERRORS[code][lang];
}

/**
 * `invalid_phone` for a number of a country the organisation does not send SMS to: names the
 * allowed countries in the reader's language (`Sverige, Norge, Danmark och Finland`), so the
 * person knows which number to give instead.
 */
export function phoneCountryMessage(countries: readonly string[], lang: Language): string {
  const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
  const list = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(
    countries.map((code) => names.of(code) ?? code),
  );
  return lang === 'sv'
    ? `Sms skickas bara till mobilnummer i ${list}. Skriv ett mobilnummer därifrån, med landsnummer om det inte är svenskt (till exempel +47 …).`
    : `Text messages are sent only to mobile numbers in ${list}. Enter a mobile number from there, with the country code if it is not Swedish (for example +47 …).`;
}

/** The reset SMS's one line of help: the first support number, in national form. */
function supportSmsLine(lang: Language, support: string | null | undefined): string {
  if (!support) return '';
  return lang === 'sv'
    ? `\nFrågor? Ring support ${support}.`
    : `\nQuestions? Call support ${support}.`;
}

/**
 * SMS texts. The last line is WebOTP (`@host #code`) so Android Chrome can fill the code in.
 * A reset code also names the support number (`support`, already formatted), for the person
 * who is stuck with a phone in hand and no other way to ask.
 */
export function codeSms(
  purpose: 'reset' | 'phone',
  lang: Language,
  p: { username: string; code: string; host: string; support?: string | null },
): string {
  const body =
    purpose === 'reset'
      ? lang === 'sv'
        ? `Din säkerhetskod för att byta lösenord för ${p.username} är ${p.code}. Den gäller i 10 minuter. Bad du inte om den? Gör ingenting.`
        : `Your security code to change the password of ${p.username} is ${p.code}. It is valid for 10 minutes. Did not ask for it? Do nothing.`
      : lang === 'sv'
        ? `Din kod för att registrera det här numret för ${p.username} är ${p.code}. Den gäller i 10 minuter.`
        : `Your code to register this number for ${p.username} is ${p.code}. It is valid for 10 minutes.`;
  const help = purpose === 'reset' ? supportSmsLine(lang, p.support) : '';
  return `${body}${help}\n\n@${p.host} #${p.code}`;
}

export function phoneReplacedSms(
  lang: Language,
  p: { username: string; maskedNew: string; support: string | null },
): string {
  const sv = `Nyckel: numret för lösenordsåterställning av ${p.username} har bytts till ${p.maskedNew}. Var det inte du?`;
  const en = `Nyckel: the password reset number of ${p.username} was changed to ${p.maskedNew}. Was it not you?`;
  if (lang === 'sv')
    return p.support ? `${sv} Ring support ${p.support}.` : `${sv} Kontakta support.`;
  return p.support ? `${en} Call support ${p.support}.` : `${en} Contact support.`;
}
