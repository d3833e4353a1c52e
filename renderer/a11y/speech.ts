// Spoken guidance (Web Speech API, which Chromium and Electron provide): when the
// traveller switches it on, each new screen is read (its title and text, then its
// choices) and every control is named when it gets focus. View behaviour only: what to
// say follows from the DOM the view rendered; nothing here changes the kiosk's state.
// Secrets are never spoken: an element marked `data-secret` (the kaartservicecode) is
// skipped, and the technician screens (PIN, maintenance) are never read at all.
import type { Language } from '../../domain/index.js';
import { LOCALES } from '../format.js';

/** The part of `speechSynthesis` we use; tests pass a fake. */
export interface SpeechLike {
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
}

export interface Speaker {
  /** Stops whatever is being said and says `text` in `language`. */
  say(text: string, language: Language): void;
  stop(): void;
}

type UtteranceFactory = (text: string) => SpeechSynthesisUtterance;

/** A speaker over the browser's synthesis, or null where there is none (jsdom, old hosts). */
export function browserSpeaker(): Speaker | null {
  const g = globalThis as { speechSynthesis?: SpeechLike; SpeechSynthesisUtterance?: new (text: string) => SpeechSynthesisUtterance };
  if (g.speechSynthesis === undefined || g.SpeechSynthesisUtterance === undefined) return null;
  const Utterance = g.SpeechSynthesisUtterance;
  return createSpeaker(g.speechSynthesis, (text) => new Utterance(text));
}

export function createSpeaker(synth: SpeechLike, utterance: UtteranceFactory): Speaker {
  return {
    say(text, language) {
      const trimmed = text.replace(/\s+/g, ' ').trim();
      if (trimmed === '') return;
      synth.cancel();
      const spoken = utterance(trimmed);
      spoken.lang = LOCALES[language];
      synth.speak(spoken);
    },
    stop() {
      synth.cancel();
    },
  };
}

/** The name a screen reader would give a control: aria-label, aria-labelledby, or its text. */
export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return label;
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = labelledBy
      .split(/\s+/)
      .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ');
    if (text.trim() !== '') return text;
  }
  return visibleText(element);
}

/** Text content without what is hidden from assistive technology (aria-hidden). */
export function visibleText(element: Element, { skipButtons = false } = {}): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      parts.push(node.textContent ?? '');
      return;
    }
    if (node instanceof Element && (node.getAttribute('aria-hidden') === 'true' || node.hasAttribute('hidden'))) return;
    // A secret on screen (a kaartservicecode) is shown, never spoken.
    if (node instanceof Element && node.hasAttribute('data-secret')) return;
    if (skipButtons && node instanceof Element && node.tagName === 'BUTTON') return;
    for (const child of Array.from(node.childNodes)) walk(child);
    if (node instanceof Element && getComputedDisplayIsBlock(node)) parts.push('. ');
  };
  walk(element);
  return parts
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/(\s*\.\s*)+/g, '. ')
    .replace(/^[.\s]+|[.\s]+$/g, '');
}

function getComputedDisplayIsBlock(element: Element): boolean {
  return /^(P|H[1-6]|LI|DIV|DT|DD|SECTION|BUTTON)$/.test(element.tagName);
}

/** What is said when a screen appears: its title, its text, and the choices it offers. */
export function screenText(screen: Element, choices: (names: string) => string): string {
  const title = screen.querySelector('h1');
  const body = screen.querySelector('.screen-body');
  const names = Array.from(screen.querySelectorAll('button')).map((b) => accessibleName(b));
  return [
    title ? visibleText(title) : '',
    body ? visibleText(body, { skipButtons: true }) : '',
    names.length > 0 ? choices(names.join(', ')) : '',
  ]
    .filter((part) => part !== '')
    .join('. ');
}
