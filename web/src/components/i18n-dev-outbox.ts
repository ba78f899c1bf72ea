import { createTexts } from '../i18n-core';

/** The development outbox's few words, not in i18n.ts: the panel exists only in development. */
export const devOutboxTexts = createTexts({
  devOutboxTitle: {
    sv: 'Utvecklarläge: utkorg för sms och e-post',
    en: 'Development: outbox for texts and e-mail',
  },
  devOutboxSms: { sv: 'Sms', en: 'Text' },
  devOutboxMail: { sv: 'E-post', en: 'E-mail' },
  devOutboxEmpty: { sv: 'Inga meddelanden ännu.', en: 'No messages yet.' },
  devRefresh: { sv: 'Uppdatera listan', en: 'Refresh' },
});

export const useDevOutboxT = devOutboxTexts.useTexts;
