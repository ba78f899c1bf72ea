import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { InferOutput } from 'valibot';
import type { IdentitySummary as IdentitySummarySchema } from '../../../../worker/routes/identities.schemas';
import type { ApiFailure } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { StepHeading } from '../../components/StepHeading';
import { type Lang, useLang } from '../../i18n';
import { identityPath } from '../../router';
import { formatCalendarDay } from '../format';
import { usePT } from '../i18n-people';
import { personApi } from '../session';
import { useTitle } from '../use-title';

type IdentitySummary = InferOutput<typeof IdentitySummarySchema>;

type Translate = ReturnType<typeof usePT>;

/** The API answers at most ten and refuses fewer than two characters. */
const MIN_QUERY = 2;
/** Wait this long after the last key before asking, so typing a name is one request. */
const DEBOUNCE_MS = 250;

/** The prefix of the search's element ids. */
const idPrefix = 'identity';

/** A new hire's name as the screens show it. */
export const fullName = (i: { givenName: string; familyName: string }) =>
  `${i.givenName} ${i.familyName}`;

/** "ake01 · 198112••-•••• · Hemtjänst Åby · börjar 1 december 2026" */
function identityMeta(t: Translate, lang: Lang, i: IdentitySummary): string {
  return [
    i.userId,
    i.personalNumberMasked,
    i.unitName,
    t('searchStarts', { date: formatCalendarDay(lang, i.startDate) }),
    ...(i.initialPassword === 'due' ? [t('initial_due')] : []),
  ].join(' · ');
}

/**
 * /chef/nyanstallda: one search field for the new hires of the person's units, suggesting
 * people as the manager types, and under it everyone who has an initial password to fetch (the
 * VGR guide's pick list), shown at once: a manager who comes here to hand over passwords sees
 * whose are waiting without looking for them. Choosing a person opens their identity page.
 */
export function NewHires() {
  const t = usePT();
  useTitle(t('newHiresHeading'));
  return (
    <section class="new-hires">
      <StepHeading>{t('newHiresHeading')}</StepHeading>
      <p>{t('newHiresIntro')}</p>
      <IdentitySearch />
      <DueList />
    </section>
  );
}

/**
 * The WAI-ARIA 1.2 combobox with a listbox popup ("list autocomplete"): focus stays in the
 * field, aria-activedescendant points at the option the arrow keys reached, Enter opens it,
 * Escape closes the list (and a second Escape empties the field; on an empty field it is left
 * to the page). A polite status says how many suggestions there are, since a screen reader
 * does not announce a list appearing.
 */
function IdentitySearch() {
  const t = usePT();
  const { route } = useLocation();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<IdentitySummary[] | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const latest = useRef(0);
  const listRef = useRef<HTMLDivElement>(null);
  const text = query.trim();
  const ids = {
    input: `${idPrefix}-search`,
    label: `${idPrefix}-search-label`,
    hint: `${idPrefix}-search-hint`,
    listbox: `${idPrefix}-listbox`,
    option: (i: number) => `${idPrefix}-option-${i}`,
  };

  useEffect(() => {
    const request = ++latest.current;
    if (text.length < MIN_QUERY) {
      setResults(null);
      setOpen(false);
      setActive(-1);
      return;
    }
    const timer = setTimeout(async () => {
      // In the body, never the address: the query may be a personnummer.
      const res = await personApi<IdentitySummary[]>('POST', '/api/manager/identities/search', {
        q: text,
      });
      // Only the newest query may draw: a slow answer for "ak" must not replace "ake".
      if (request !== latest.current) return;
      if (!res.ok) {
        setFailure(res);
        setResults(null);
        setOpen(false);
        return;
      }
      setFailure(null);
      setResults(res.data.slice(0, 10));
      setActive(-1);
      setOpen(true);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  // The option the arrow keys reached stays in view in a list taller than the screen.
  useEffect(() => {
    if (active < 0) return;
    listRef.current
      ?.querySelector(`#${idPrefix}-option-${active}`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const options = results ?? [];
  const expanded = open && options.length > 0;

  function pick(identity: IdentitySummary) {
    setOpen(false);
    route(identityPath(identity.id));
  }

  function onKeyDown(e: KeyboardEvent) {
    const n = options.length;
    switch (e.key) {
      case 'ArrowDown':
        if (n === 0) return;
        e.preventDefault();
        setOpen(true);
        setActive((i) => (!expanded || i >= n - 1 ? 0 : i + 1));
        return;
      case 'ArrowUp':
        if (n === 0) return;
        e.preventDefault();
        setOpen(true);
        setActive((i) => (!expanded || i <= 0 ? n - 1 : i - 1));
        return;
      case 'Enter': {
        const chosen = expanded ? options[active] : undefined;
        const only = expanded && n === 1 ? options[0] : undefined;
        const target = chosen ?? only;
        if (target) {
          e.preventDefault();
          pick(target);
        }
        return;
      }
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (query !== '') {
          e.preventDefault();
          setQuery('');
        }
        return;
    }
  }

  let status = '';
  if (results && text.length >= MIN_QUERY) {
    status =
      results.length === 0
        ? t('searchNone', { q: text })
        : results.length === 1
          ? t('searchOne')
          : t('searchCount', { n: results.length });
  }

  return (
    <div class="field identity-search">
      <label for={ids.input} id={ids.label}>
        {t('searchLabel')}
      </label>
      <p id={ids.hint} class="hint">
        {t('searchHint')}
      </p>
      <div class="search-row">
        <div class="combo">
          <input
            id={ids.input}
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={ids.listbox}
            aria-activedescendant={expanded && active >= 0 ? ids.option(active) : undefined}
            aria-describedby={ids.hint}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellcheck={false}
            enterKeyHint="search"
            maxLength={64}
            value={query}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setActive(-1);
            }}
            onKeyDown={onKeyDown}
            onFocus={() => results && results.length > 0 && setOpen(true)}
            onBlur={() => {
              setOpen(false);
              setActive(-1);
            }}
          />
          <div
            id={ids.listbox}
            ref={listRef}
            role="listbox"
            aria-labelledby={ids.label}
            class="combo-list"
            hidden={!expanded}
          >
            {options.map((identity, i) => (
              // The field keeps focus (mousedown would take it): a tap picks the option. The
              // options are reached with aria-activedescendant, so they take no focus themselves.
              // biome-ignore lint/a11y/useKeyWithClickEvents: the field's arrow keys and Enter choose options
              // biome-ignore lint/a11y/useFocusableInteractive: aria-activedescendant, focus stays in the field
              <div
                key={identity.id}
                id={ids.option(i)}
                role="option"
                aria-selected={i === active}
                class={i === active ? 'combo-option active' : 'combo-option'}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(identity)}
              >
                <span class="option-name">{fullName(identity)}</span>
                <span class="option-meta">{identityMeta(t, lang, identity)}</span>
              </div>
            ))}
          </div>
        </div>
      </div>
      <p class="hint combo-status" role="status">
        {status}
      </p>
      <ErrorBox failure={failure} />
    </div>
  );
}

/**
 * Everyone in the person's units with an initial password to fetch, newest start first as the
 * API sends them. Choosing a name opens that person's page.
 */
function DueList() {
  const t = usePT();
  const lang = useLang();
  const [list, setList] = useState<IdentitySummary[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    personApi<IdentitySummary[]>('GET', '/api/manager/identities?due=true').then((res) => {
      if (res.ok) setList(res.data);
      else setFailure(res);
    });
  }, []);
  return (
    <section class="due" aria-labelledby="due-heading">
      <h2 id="due-heading" class="due-heading">
        {t('dueHeading')}
      </h2>
      <ErrorBox failure={failure} />
      {!list && !failure && (
        <p class="hint" role="status">
          {t('loading')}
        </p>
      )}
      {list && list.length === 0 && <p>{t('dueNone')}</p>}
      {list && list.length > 0 && (
        <>
          <p>{t('dueIntro')}</p>
          <ul class="pick-list">
            {list.map((identity) => (
              <li key={identity.id}>
                <a href={identityPath(identity.id)} class="pick-link">
                  <span class="option-name">{fullName(identity)}</span>
                  <span class="option-meta">{identityMeta(t, lang, identity)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
