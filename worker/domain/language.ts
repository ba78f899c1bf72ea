export type Language = 'sv' | 'en';

/** Picks Swedish or English from an Accept-Language header; Swedish unless English is preferred. */
export function pickLanguage(header: string | null | undefined): Language {
  if (!header) return 'sv';
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.split('-')[0];
    if (lang !== 'sv' && lang !== 'en' && lang !== 'nb' && lang !== 'no' && lang !== 'da') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    // Norwegian and Danish readers understand Swedish better than English.
    const mapped: Language = lang === 'en' ? 'en' : 'sv';
    if (!best || q > best.q) best = { lang: mapped, q };
  }
  return best?.lang ?? 'sv';
}
