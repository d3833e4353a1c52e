/** Electron IPC channel names, shared by main and preload. No runtime imports, so the
 * sandboxed preload bundle stays small. */
export const IPC = {
  view: 'kiosk:view',
  ui: 'kiosk:ui',
  ready: 'kiosk:ready',
} as const;

/**
 * The developer dock's own channels (see DevChannelPort), listened to by main only when
 * the kiosk it runs has a dev channel (the demo); a station leaves them unanswered.
 */
export const DEV_IPC = {
  /** Renderer → main: a raw dock command. */
  command: 'kiosk:dev',
  /** Main → renderer: the dock view. */
  view: 'kiosk:dev-view',
  /** Renderer → main: send the current dock view. */
  ready: 'kiosk:dev-ready',
} as const;
