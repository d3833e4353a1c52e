import { EventEmitter } from 'node:events';
import { IPC, type KioskView } from '../kiosk/contract.js';
import { createPreloadBridge } from './bridge.js';
import { idleView, menuView } from './fake-kiosk-service.js';

/** An ipcRenderer whose incoming messages the test emits by hand, as Electron would. */
function fakeIpcRenderer() {
  const emitter = new EventEmitter();
  const sent: unknown[][] = [];
  const ipcRenderer = Object.assign(emitter, {
    send: (channel: string, ...args: unknown[]) => void sent.push([channel, ...args]),
  });
  const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
  const receiveView = (view: KioskView) => emitter.emit(IPC.view, ipcEvent, view);
  return { ipcRenderer, sent, receiveView, ipcEvent };
}

describe('preload bridge (window.kiosk)', () => {
  it('hands the page the view and never the IPC event, which holds ipcRenderer', () => {
    const { ipcRenderer, receiveView, ipcEvent } = fakeIpcRenderer();
    const calls: unknown[][] = [];
    createPreloadBridge(ipcRenderer).subscribe((...args: unknown[]) => void calls.push(args));
    receiveView(menuView);
    expect(calls).toEqual([[menuView]]);
    expect(calls.flat()).not.toContain(ipcEvent);
  });

  it('asks main for the current view when the page subscribes', () => {
    const { ipcRenderer, sent } = fakeIpcRenderer();
    createPreloadBridge(ipcRenderer).subscribe(() => {});
    expect(sent).toEqual([[IPC.ready]]);
  });

  it('stops delivering views once the page unsubscribes', () => {
    const { ipcRenderer, receiveView } = fakeIpcRenderer();
    const views: KioskView[] = [];
    const unsubscribe = createPreloadBridge(ipcRenderer).subscribe((view) => views.push(view));
    receiveView(idleView);
    unsubscribe();
    receiveView(menuView);
    expect(views).toEqual([idleView]);
    expect(ipcRenderer.listenerCount(IPC.view)).toBe(0);
  });

  it('sends UiEvents and developer commands on their own channels', () => {
    const { ipcRenderer, sent } = fakeIpcRenderer();
    const bridge = createPreloadBridge(ipcRenderer);
    bridge.send({ type: 'CONFIRM' });
    bridge.dev({ type: 'dev.remove' });
    expect(sent).toEqual([
      [IPC.ui, { type: 'CONFIRM' }],
      [IPC.dev, { type: 'dev.remove' }],
    ]);
  });

  it('exposes nothing but subscribe, send and dev', () => {
    const { ipcRenderer } = fakeIpcRenderer();
    expect(Object.keys(createPreloadBridge(ipcRenderer)).sort()).toEqual(['dev', 'send', 'subscribe']);
  });
});
