import { IPC, type KioskView } from '../kiosk/contract.js';
import { DEV_IPC } from '../kiosk/ipc-channels.js';
import { createPreloadBridge, createPreloadDevBridge } from './bridge.js';
import { recordingLog } from './fake-electron.js';
import { createFakeIpc, settle } from './fake-ipc.js';
import { cardOnDock, emptyDock, FakeDevChannel, FakeKioskService, idleView, menuView } from './fake-kiosk-service.js';
import { attachIpcCarrier } from './ipc-carrier.js';

/** The kiosk window with its preload bridges, connected to a service (and a dev channel, if given) through the carrier. */
function kioskWindow(service = new FakeKioskService(), devChannel?: FakeDevChannel) {
  const ipc = createFakeIpc();
  const kiosk = ipc.connectRenderer();
  const log = recordingLog();
  const carrier = attachIpcCarrier({ ipcMain: ipc.ipcMain, webContents: kiosk.webContents, service, devChannel, log });
  const bridge = createPreloadBridge(kiosk.ipcRenderer);
  const devBridge = createPreloadDevBridge(kiosk.ipcRenderer);
  const views: KioskView[] = [];
  return { ipc, kiosk, log, carrier, bridge, devBridge, service, views, watch: () => bridge.subscribe((view) => views.push(view)) };
}

describe('Electron IPC carrier', () => {
  it('shows the current screen as soon as the renderer subscribes', async () => {
    const { views, watch } = kioskWindow(new FakeKioskService(menuView));
    watch();
    await settle();
    expect(views).toEqual([menuView]);
  });

  it('brings every new screen to the renderer', async () => {
    const { service, views, watch } = kioskWindow();
    watch();
    await settle();
    service.show(menuView);
    await settle();
    expect(views.map((view) => view.screen.name)).toEqual(['idle', 'menu']);
  });

  it('a renderer that reloads gets the current screen again', async () => {
    const { service, views, watch } = kioskWindow();
    const unsubscribe = watch();
    await settle();
    service.show(menuView);
    await settle();
    unsubscribe();
    watch();
    await settle();
    expect(views.map((view) => view.screen.name)).toEqual(['idle', 'menu', 'menu']);
  });

  it('a tap on "Ophalen bestelling" reaches the service', async () => {
    const { bridge, service } = kioskWindow();
    bridge.send({ type: 'PICKUP' });
    bridge.send({ type: 'SELECT_ORDER', orderId: 'ord-topup' });
    await settle();
    expect(service.acceptedUiEvents).toEqual([{ type: 'PICKUP' }, { type: 'SELECT_ORDER', orderId: 'ord-topup' }]);
  });

  it.each([
    ['an unknown field', { type: 'PICKUP', extra: 1 }],
    ['a missing order id', { type: 'SELECT_ORDER' }],
    ['a bare string', 'PICKUP'],
    ['an unknown type', { type: 'DELIVER_FOR_FREE' }],
    ['nothing at all', undefined],
  ])('a UiEvent with %s is handed over raw and rejected, never accepted', async (_what, raw) => {
    const { kiosk, service } = kioskWindow();
    // A compromised page can send anything on the channel, not just what the bridge types allow.
    kiosk.ipcRenderer.send(IPC.ui, raw);
    await settle();
    expect(service.rawUiEvents).toEqual([raw]);
    expect(service.acceptedUiEvents).toEqual([]);
    expect(service.rejectedUiEvents).toHaveLength(1);
  });

  it('developer-dock commands reach the dev channel on its own IPC channel, validated, and none reach the service', async () => {
    const dev = new FakeDevChannel();
    const { devBridge, kiosk, service } = kioskWindow(new FakeKioskService(), dev);
    devBridge.send({ type: 'dev.tap', cardId: 'card-1' });
    kiosk.ipcRenderer.send(DEV_IPC.command, { type: 'dev.tearNextWrite', afterWrites: -1 });
    await settle();
    expect(dev.accepted).toEqual([{ type: 'dev.tap', cardId: 'card-1' }]);
    expect(dev.rejected).toHaveLength(1);
    expect(service.rawUiEvents).toEqual([]);
  });

  it('the dock gets its current view when it subscribes, then every new one; the kiosk view channel carries none', async () => {
    const dev = new FakeDevChannel();
    const { devBridge, service, views, watch } = kioskWindow(new FakeKioskService(), dev);
    watch();
    const docks: unknown[] = [];
    devBridge.subscribe((view) => docks.push(view));
    await settle();
    dev.show(cardOnDock);
    await settle();
    expect(docks).toEqual([emptyDock, cardOnDock]);
    expect(views).toEqual([idleView]);
    expect(service.subscriberCount).toBe(1);
  });

  it('without a dev channel (a station) the dock channels are not listened to', async () => {
    const { devBridge, ipc } = kioskWindow();
    const docks: unknown[] = [];
    devBridge.subscribe((view) => docks.push(view));
    devBridge.send({ type: 'dev.remove' });
    await settle();
    expect(docks).toEqual([]);
    for (const channel of Object.values(DEV_IPC)) expect(ipc.ipcMain.listenerCount(channel)).toBe(0);
  });

  it('ignores a window that is not the kiosk window', async () => {
    const dev = new FakeDevChannel();
    const { ipc, log, service, views, watch } = kioskWindow(new FakeKioskService(), dev);
    watch();
    await settle();
    const intruder = ipc.connectRenderer();
    const intruderViews: unknown[] = [];
    const intruderBridge = createPreloadBridge(intruder.ipcRenderer);
    const intruderDevBridge = createPreloadDevBridge(intruder.ipcRenderer);
    intruderBridge.subscribe((view) => intruderViews.push(view));
    intruderDevBridge.subscribe((view) => intruderViews.push(view));
    intruderBridge.send({ type: 'PICKUP' });
    intruderDevBridge.send({ type: 'dev.remove' });
    await settle();
    expect(service.rawUiEvents).toEqual([]);
    expect(dev.accepted).toEqual([]);
    expect(dev.rejected).toEqual([]);
    expect(intruderViews).toEqual([]);
    expect(views).toEqual([idleView]);
    expect(log.entries.filter((entry) => entry.message.includes('foreign sender'))).toHaveLength(4);
  });

  it('after detach nothing flows either way', async () => {
    const dev = new FakeDevChannel();
    const { ipc, bridge, devBridge, carrier, service, views, watch } = kioskWindow(new FakeKioskService(), dev);
    watch();
    await settle();
    carrier.detach();
    carrier.detach();
    service.show(menuView);
    bridge.send({ type: 'PICKUP' });
    devBridge.send({ type: 'dev.remove' });
    watch();
    await settle();
    expect(views).toEqual([idleView]);
    expect(service.rawUiEvents).toEqual([]);
    expect(service.subscriberCount).toBe(0);
    expect(dev.accepted).toEqual([]);
    expect(dev.subscriberCount).toBe(0);
    for (const channel of [...Object.values(IPC), ...Object.values(DEV_IPC)]) expect(ipc.ipcMain.listenerCount(channel)).toBe(0);
  });

  it('a closed window is not written to', async () => {
    const { kiosk, log, service } = kioskWindow();
    kiosk.webContents.destroyed = true;
    expect(() => service.show(menuView)).not.toThrow();
    expect(log.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('a service that throws on a message is logged, not thrown into Electron', async () => {
    class BrokenService extends FakeKioskService {
      override readonly receiveUiEvent = (): never => {
        throw new Error('machine stopped');
      };
    }
    const { bridge, log } = kioskWindow(new BrokenService());
    bridge.send({ type: 'PICKUP' });
    await settle();
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: 'error', details: expect.objectContaining({ channel: IPC.ui }) }),
    );
  });
});
