// Keypad operation (EN 301 549 closed functionality): a traveller who cannot use the
// touch screen works the kiosk with arrows, OK (Enter) and back (Escape/Backspace).
// Arrows move focus among the controls on screen (roving focus, wrapping); OK activates
// the focused button natively; back presses the screen's back/cancel/stop button,
// which screens mark with `data-keypad-back`.

const CONTROLS = 'button:not([disabled]), select:not([disabled]), a[href], input:not([disabled])';

/** The controls a keypad reaches: the dialog when one is open, else the screen, then the header. */
export function keypadControls(root: ParentNode): HTMLElement[] {
  const dialog = root.querySelector<HTMLElement>('[role="alertdialog"], [role="dialog"]');
  if (dialog) return Array.from(dialog.querySelectorAll<HTMLElement>(CONTROLS));
  const main = Array.from(root.querySelectorAll<HTMLElement>(`.kiosk-main ${CONTROLS.split(', ').join(', .kiosk-main ')}`));
  const header = Array.from(root.querySelectorAll<HTMLElement>(`.kiosk-header ${CONTROLS.split(', ').join(', .kiosk-header ')}`));
  return [...main, ...header];
}

const NEXT = new Set(['ArrowDown', 'ArrowRight']);
const PREVIOUS = new Set(['ArrowUp', 'ArrowLeft']);
const BACK = new Set(['Escape', 'Backspace']);

/** Handles one key; true when it did something. */
export function handleKeypad(event: KeyboardEvent, root: Document): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return false;
  const target = event.target instanceof HTMLElement ? event.target : null;
  // The developer dock and form fields keep their own keys (a select's arrows).
  if (target?.closest('.dev-dock') || target?.matches('select, input, textarea')) return false;
  if (NEXT.has(event.key) || PREVIOUS.has(event.key)) {
    const controls = keypadControls(root);
    if (controls.length === 0) return false;
    const index = target === null ? -1 : controls.indexOf(target);
    let next: number;
    if (index === -1) next = NEXT.has(event.key) ? 0 : controls.length - 1;
    else next = (index + (NEXT.has(event.key) ? 1 : -1) + controls.length) % controls.length;
    controls[next]?.focus();
    return true;
  }
  if (BACK.has(event.key)) {
    const back = root.querySelector<HTMLButtonElement>(
      '[role="alertdialog"] [data-keypad-back], .kiosk-main [data-keypad-back]:not([disabled])',
    );
    if (!back) return false;
    back.click();
    return true;
  }
  return false;
}
