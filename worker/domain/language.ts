export type Language = 'sv' | 'en';

/** Picks Swedish or English from an Accept-Language header; Swedish unless English is preferred. */
export function pickLanguage(header: string | null | undefined): Language {
  if (!header) return 'sv';
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',')) {
    const [rawTag = '', ...params] = part.toLowerCase().split(';');
    const lang = rawTag.trim().split('-')[0];
    if (lang !== 'sv' && lang !== 'en' && lang !== 'nb' && lang !== 'no' && lang !== 'da') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    // RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else drops the entry.
    const qText = qParam?.slice(2).trim();
    if (qText !== undefined && !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(qText)) continue;
    const q = qText === undefined ? 1 : Number(qText);
    if (q <= 0) continue;
    // Norwegian and Danish readers understand Swedish better than English.
    const mapped: Language = lang === 'en' ? 'en' : 'sv';
    if (!best || q > best.q) best = { lang: mapped, q };
  }
  return best?.lang ?? 'sv';
}
