// The Electron IPC carrier, renderer side: the one object the preload exposes as
// `window.kiosk`. The preload runs sandboxed, so this file may only import 'electron'
// (in preload.ts) and what esbuild bundles: here the IPC names from the contract.
import type { DevCommand, KioskBridge, KioskView, UiEvent } from '../kiosk/contract.js';
import { IPC } from '../kiosk/ipc-channels.js';

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
    dev(command: DevCommand): void {
      ipcRenderer.send(IPC.dev, command);
    },
  };
}
