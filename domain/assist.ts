// Languages and the help a traveller can switch on.
// Pure data: no I/O, no Node, DOM or library types (domain/ imports nothing).

export const LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'nl';

/** Help a traveller can switch on; it is reset for the next traveller. High contrast and large text are separate: some need one, not the other. */
export const ASSIST_OPTIONS = ['highContrast', 'largeText', 'speech', 'moreTime'] as const;
export type AssistOption = (typeof ASSIST_OPTIONS)[number];
export type Assist = Readonly<Record<AssistOption, boolean>>;
export const NO_ASSIST: Assist = { highContrast: false, largeText: false, speech: false, moreTime: false };
