import { EventEmitter } from 'node:events';
import { IPC, type KioskView } from '../kiosk/contract.js';
import { DEV_IPC } from '../kiosk/ipc-channels.js';
import { createPreloadBridge, createPreloadDevBridge } from './bridge.js';
import { cardOnDock, idleView, menuView } from './fake-kiosk-service.js';

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

  it('sends UiEvents on the kiosk channel', () => {
    const { ipcRenderer, sent } = fakeIpcRenderer();
    createPreloadBridge(ipcRenderer).send({ type: 'CONFIRM' });
    expect(sent).toEqual([[IPC.ui, { type: 'CONFIRM' }]]);
  });

  it('exposes nothing but subscribe and send', () => {
    const { ipcRenderer } = fakeIpcRenderer();
    expect(Object.keys(createPreloadBridge(ipcRenderer)).sort()).toEqual(['send', 'subscribe']);
  });
});

describe('preload dev bridge (window.kioskDev)', () => {
  it('asks for the dock view on its own channel and hands the page only the view', () => {
    const { ipcRenderer, sent, ipcEvent } = fakeIpcRenderer();
    const calls: unknown[][] = [];
    const unsubscribe = createPreloadDevBridge(ipcRenderer).subscribe((...args: unknown[]) => void calls.push(args));
    expect(sent).toEqual([[DEV_IPC.ready]]);
    ipcRenderer.emit(DEV_IPC.view, ipcEvent, cardOnDock);
    ipcRenderer.emit(IPC.view, ipcEvent, idleView);
    expect(calls).toEqual([[cardOnDock]]);
    unsubscribe();
    expect(ipcRenderer.listenerCount(DEV_IPC.view)).toBe(0);
  });

  it('sends dock commands on the dev channel, never the kiosk one, and exposes only subscribe and send', () => {
    const { ipcRenderer, sent } = fakeIpcRenderer();
    const devBridge = createPreloadDevBridge(ipcRenderer);
    devBridge.send({ type: 'dev.remove' });
    expect(sent).toEqual([[DEV_IPC.command, { type: 'dev.remove' }]]);
    expect(Object.keys(devBridge).sort()).toEqual(['send', 'subscribe']);
  });
});
