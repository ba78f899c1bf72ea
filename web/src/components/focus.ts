/**
 * Where the focus goes when the page changes under it. Headings, error boxes and summaries are
 * focused by script (tabindex="-1") so a screen reader reads where the person now is; their
 * ring is drawn only for someone using the keyboard (`html[data-keys]`, see styles.css), since
 * Chrome counts a script's focus on page load as :focus-visible and draws it for everyone.
 */

/** The page's own heading (the first h1 in main), made focusable by script, focused. */
export function focusPageHeading(within: ParentNode = document) {
  const heading =
    within.querySelector<HTMLElement>('h1, h2, h3') ?? document.querySelector<HTMLElement>('h1');
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus();
}

/**
 * Back to `element` (the control that opened a dialog, say) if it is still on the page and can
 * take the focus; otherwise to the page's heading, never to <body>.
 */
export function returnFocus(element: HTMLElement | null) {
  if (element?.isConnected) element.focus();
  if (document.activeElement !== element || !element?.isConnected) focusPageHeading();
}

if (typeof document !== 'undefined') {
  const root = document.documentElement;
  // A key moves the focus ring on; a tap or a click takes it away. Typing in a field counts: a
  // person who pressed Enter to send goes on with the keyboard.
  addEventListener('keydown', () => root.setAttribute('data-keys', ''), true);
  addEventListener('pointerdown', () => root.removeAttribute('data-keys'), true);

  // A safety net: when the focused control leaves the page (a button replaced by the form it
  // opened, a list re-drawn after a save), the browser drops the focus on <body> and the next
  // Tab starts from the top. Instead the focus goes to the nearest heading still around it.
  let focused: Element | null = null;
  let around: Element[] = [];
  addEventListener('focusin', (e) => {
    focused = e.target instanceof Element ? e.target : null;
    around = [];
    for (let el = focused?.parentElement; el; el = el.parentElement) around.push(el);
  });
  new MutationObserver(() => {
    if (!focused || focused.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const still = around.find((el) => el.isConnected && el !== document.body);
    focused = null;
    if (still) focusPageHeading(still);
  }).observe(root, { childList: true, subtree: true });
}
