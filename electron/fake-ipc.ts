// A fake ipcMain / ipcRenderer pair. Like Electron's, messages are delivered
// asynchronously and structured-cloned, so nothing shares references across the
// "process" boundary and anything uncloneable fails here as it would in Electron.
import { EventEmitter } from 'node:events';
import { FakeWebContents } from './fake-electron.js';

export class FakeIpcMain extends EventEmitter {}

export class FakeIpcRenderer extends EventEmitter {
  /** Every message this renderer sent, in order (what went over the wire). */
  readonly sent: { channel: string; args: unknown[] }[] = [];

  constructor(
    private readonly ipcMain: FakeIpcMain,
    private readonly webContents: FakeWebContents,
  ) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    queueMicrotask(() => this.ipcMain.emit(channel, { sender: this.webContents, frameId: 1 }, ...cloned));
  }
}

export interface FakeRenderer {
  /** The main side's handle on this renderer. */
  readonly webContents: FakeWebContents;
  /** What the preload gets from 'electron'. */
  readonly ipcRenderer: FakeIpcRenderer;
}

export function createFakeIpc() {
  const ipcMain = new FakeIpcMain();

  /** A renderer process: its webContents in main, its ipcRenderer in the preload. */
  function connectRenderer(webContents = new FakeWebContents()): FakeRenderer {
    const ipcRenderer = new FakeIpcRenderer(ipcMain, webContents);
    webContents.deliver = (channel, args) => {
      const cloned = structuredClone(args);
      queueMicrotask(() => ipcRenderer.emit(channel, { sender: ipcRenderer, senderId: 0, ports: [] }, ...cloned));
    };
    return { webContents, ipcRenderer };
  }

  return { ipcMain, connectRenderer };
}

/** Lets every message in flight arrive. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
