import { createTexts } from '../i18n-core';

/**
 * The words of sharing a new password with staff, here rather than in i18n.ts so
 * they load with the share step, not with the first screen.
 */
const TEXT = {
  shareIntro: {
    sv: 'Var och en du väljer får ett sms med en personlig länk. Lösenordet kan visas en gång per person, och länken gäller i 24 timmar.',
    en: 'Everyone you pick gets a text message with a personal link. The password can be shown once per person, and the link works for 24 hours.',
  },
  shareWho: { sv: 'Vem ska få lösenordet?', en: 'Who should get the password?' },
  shareNoneChosen: { sv: 'Välj minst en person.', en: 'Pick at least one person.' },
  shareSend: { sv: 'Skicka länkar', en: 'Send links' },
  shareSkip: { sv: 'Hoppa över', en: 'Skip' },
  shareSentHeading: { sv: 'Länkarna är skickade', en: 'The links are sent' },
  shareQueued: { sv: 'Sms:et är på väg.', en: 'The text message is on its way.' },
  shareRefused: {
    sv: 'Inte skickat: för många sms till numret just nu. Försök igen om {time}.',
    en: 'Not sent: too many text messages to this number just now. Try again in {time}.',
  },
  shareRefusedNoTime: {
    sv: 'Inte skickat: för många sms just nu.',
    en: 'Not sent: too many text messages just now.',
  },
  shareContinue: { sv: 'Fortsätt', en: 'Continue' },
} as const;

export const shareTexts = createTexts(TEXT);
export const useShareT = shareTexts.useTexts;
