// The Electron IPC carrier, renderer side: what the preload exposes as `window.kiosk`
// (the kiosk contract) and `window.kioskDev` (the developer dock's own channel, answered
// by main only in the demo). The preload runs sandboxed, so this file may only import
// 'electron' (in preload.ts) and what esbuild bundles: here the IPC names.
import type { KioskBridge, KioskView, UiEvent } from '../kiosk/contract.js';
import { DEV_IPC, IPC } from '../kiosk/ipc-channels.js';

export type IpcRendererListener = (event: unknown, ...args: unknown[]) => void;

export interface IpcRendererLike {
  on(channel: string, listener: IpcRendererListener): unknown;
  removeListener(channel: string, listener: IpcRendererListener): unknown;
  send(channel: string, ...args: unknown[]): void;
}

export function createPreloadBridge(ipcRenderer: IpcRendererLike): KioskBridge {
  return {
    subscribe(listener: (view: KioskView) => void): () => void {
      // The IPC event carries `sender` (the ipcRenderer itself): it must never reach
      // page code, so the listener gets the view and nothing else.
      const onView: IpcRendererListener = (_event, view) => listener(view as KioskView);
      ipcRenderer.on(IPC.view, onView);
      // Ask for the current view: one sent before this listener existed is gone.
      ipcRenderer.send(IPC.ready);
      return () => {
        ipcRenderer.removeListener(IPC.view, onView);
      };
    },
    send(event: UiEvent): void {
      ipcRenderer.send(IPC.ui, event);
    },
  };
}

/**
 * The developer dock's end of its channel. Its views and commands are opaque here (the
 * renderer types them with demo/dev-contract.ts); main validates every command.
 */
export interface PreloadDevBridge {
  subscribe(listener: (view: unknown) => void): () => void;
  send(command: unknown): void;
}

export function createPreloadDevBridge(ipcRenderer: IpcRendererLike): PreloadDevBridge {
  return {
    subscribe(listener: (view: unknown) => void): () => void {
      // As above: the page gets the view, never the IPC event.
      const onView: IpcRendererListener = (_event, view) => listener(view);
      ipcRenderer.on(DEV_IPC.view, onView);
      ipcRenderer.send(DEV_IPC.ready);
      return () => {
        ipcRenderer.removeListener(DEV_IPC.view, onView);
      };
    },
    send(command: unknown): void {
      ipcRenderer.send(DEV_IPC.command, command);
    },
  };
}
