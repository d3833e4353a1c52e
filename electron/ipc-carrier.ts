// The Electron IPC carrier of the kiosk contract, main side: views go down to the kiosk
// window, raw UiEvents and DevCommands come up and go to the service, which validates.
import { IPC, type KioskView } from '../kiosk/contract.js';
import type { KioskService } from '../kiosk/service-types.js';
import type { ElectronLog } from './log.js';

/** The part of IpcMainEvent the carrier looks at. */
export interface IpcSenderEvent {
  readonly sender: unknown;
}

export type IpcMainListener = (event: IpcSenderEvent, ...args: unknown[]) => void;

export interface IpcMainLike {
  on(channel: string, listener: IpcMainListener): unknown;
  removeListener(channel: string, listener: IpcMainListener): unknown;
}

export interface ViewTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface IpcCarrierOptions {
  readonly ipcMain: IpcMainLike;
  /** The kiosk window's webContents: the only sender listened to, the only receiver. */
  readonly webContents: ViewTarget;
  readonly service: Pick<KioskService, 'view' | 'subscribe' | 'receiveUiEvent' | 'receiveDevCommand'>;
  readonly log: ElectronLog;
}

export function attachIpcCarrier({ ipcMain, webContents, service, log }: IpcCarrierOptions): { detach: () => void } {
  let attached = true;

  const sendView = (view: KioskView) => {
    if (!attached || webContents.isDestroyed()) return;
    try {
      webContents.send(IPC.view, view);
    } catch (error) {
      log.error({ err: error }, 'could not send the view to the kiosk window');
    }
  };

  // Only the kiosk window may drive the kiosk. Anything else (a devtools page, a
  // window that slipped through) is ignored rather than trusted.
  const fromKioskWindow = (channel: string, handle: (raw: unknown) => void): IpcMainListener => {
    return (event, raw) => {
      if (!attached) return;
      if (event.sender !== webContents) {
        log.warn({ channel }, 'ignored an IPC message from a foreign sender');
        return;
      }
      try {
        handle(raw);
      } catch (error) {
        // A throw here would surface as an uncaught exception in the main process.
        log.error({ channel, err: error }, 'the kiosk service failed on an IPC message');
      }
    };
  };

  const listeners: readonly (readonly [string, IpcMainListener])[] = [
    [IPC.ready, fromKioskWindow(IPC.ready, () => sendView(service.view()))],
    [IPC.ui, fromKioskWindow(IPC.ui, (raw) => void service.receiveUiEvent(raw))],
    [IPC.dev, fromKioskWindow(IPC.dev, (raw) => void service.receiveDevCommand(raw))],
  ];
  for (const [channel, listener] of listeners) ipcMain.on(channel, listener);
  const unsubscribe = service.subscribe(sendView);

  return {
    detach: () => {
      if (!attached) return;
      attached = false;
      unsubscribe();
      for (const [channel, listener] of listeners) ipcMain.removeListener(channel, listener);
    },
  };
}
