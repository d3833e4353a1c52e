// What the Electron preload (electron/preload.ts) exposes with contextBridge.
import type { KioskBridge } from '../kiosk/contract.js';

declare global {
  interface Window {
    /** Present only inside the Electron kiosk window; the web host uses a WebSocket. */
    readonly kiosk?: KioskBridge;
  }
}

export {};
