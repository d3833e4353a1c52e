/** Electron IPC channel names, shared by main and preload. No runtime imports, so the
 * sandboxed preload bundle stays small. */
export const IPC = {
  view: 'kiosk:view',
  ui: 'kiosk:ui',
  dev: 'kiosk:dev',
  ready: 'kiosk:ready',
} as const;
