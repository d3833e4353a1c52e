// The Electron IPC carrier of the kiosk contract, main side: views go down to the kiosk
// window, raw UiEvents come up and go to the service, which validates. Given a dev channel
// (the demo's developer dock), it carries that too, on channels of its own (DEV_IPC).
import { IPC, type KioskView } from '../kiosk/contract.js';
import { DEV_IPC } from '../kiosk/ipc-channels.js';
import type { DevChannelPort, KioskService } from '../kiosk/service-types.js';
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
  readonly service: Pick<KioskService, 'view' | 'subscribe' | 'receiveUiEvent'>;
  /** The developer dock's channel (demo only); without one, DEV_IPC is not listened to. */
  readonly devChannel?: DevChannelPort | undefined;
  readonly log: ElectronLog;
}

export function attachIpcCarrier({ ipcMain, webContents, service, devChannel, log }: IpcCarrierOptions): { detach: () => void } {
  let attached = true;

  const sendTo = (channel: string) => (view: unknown) => {
    if (!attached || webContents.isDestroyed()) return;
    try {
      webContents.send(channel, view);
    } catch (error) {
      log.error({ err: error, channel }, 'could not send the view to the kiosk window');
    }
  };
  const sendView: (view: KioskView) => void = sendTo(IPC.view);

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

  const listeners: (readonly [string, IpcMainListener])[] = [
    [IPC.ready, fromKioskWindow(IPC.ready, () => sendView(service.view()))],
    [IPC.ui, fromKioskWindow(IPC.ui, (raw) => void service.receiveUiEvent(raw))],
  ];
  const unsubscribes = [service.subscribe(sendView)];
  if (devChannel) {
    const sendDevView = sendTo(DEV_IPC.view);
    listeners.push(
      [DEV_IPC.ready, fromKioskWindow(DEV_IPC.ready, () => sendDevView(devChannel.view()))],
      // The channel validates, and logs what it refuses.
      [DEV_IPC.command, fromKioskWindow(DEV_IPC.command, (raw) => void devChannel.receive(raw))],
    );
    unsubscribes.push(devChannel.subscribe(sendDevView));
  }
  for (const [channel, listener] of listeners) ipcMain.on(channel, listener);

  return {
    detach: () => {
      if (!attached) return;
      attached = false;
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const [channel, listener] of listeners) ipcMain.removeListener(channel, listener);
    },
  };
}
