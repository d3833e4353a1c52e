import { IPC, type KioskView } from '../kiosk/contract.js';
import { createPreloadBridge } from './bridge.js';
import { recordingLog } from './fake-electron.js';
import { createFakeIpc, settle } from './fake-ipc.js';
import { FakeKioskService, idleView, menuView } from './fake-kiosk-service.js';
import { attachIpcCarrier } from './ipc-carrier.js';

/** The kiosk window with its preload bridge, connected to a service through the carrier. */
function kioskWindow(service = new FakeKioskService()) {
  const ipc = createFakeIpc();
  const kiosk = ipc.connectRenderer();
  const log = recordingLog();
  const carrier = attachIpcCarrier({ ipcMain: ipc.ipcMain, webContents: kiosk.webContents, service, log });
  const bridge = createPreloadBridge(kiosk.ipcRenderer);
  const views: KioskView[] = [];
  return { ipc, kiosk, log, carrier, bridge, service, views, watch: () => bridge.subscribe((view) => views.push(view)) };
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

  it('developer-dock commands reach the service, validated', async () => {
    const { bridge, kiosk, service } = kioskWindow();
    bridge.dev({ type: 'dev.tap', cardId: 'card-1' });
    kiosk.ipcRenderer.send(IPC.dev, { type: 'dev.tearNextWrite', afterWrites: -1 });
    await settle();
    expect(service.acceptedDevCommands).toEqual([{ type: 'dev.tap', cardId: 'card-1' }]);
    expect(service.rejectedDevCommands).toHaveLength(1);
  });

  it('ignores a window that is not the kiosk window', async () => {
    const { ipc, log, service, views, watch } = kioskWindow();
    watch();
    await settle();
    const intruder = ipc.connectRenderer();
    const intruderViews: KioskView[] = [];
    const intruderBridge = createPreloadBridge(intruder.ipcRenderer);
    intruderBridge.subscribe((view) => intruderViews.push(view));
    intruderBridge.send({ type: 'PICKUP' });
    intruderBridge.dev({ type: 'dev.remove' });
    await settle();
    expect(service.rawUiEvents).toEqual([]);
    expect(service.acceptedDevCommands).toEqual([]);
    expect(intruderViews).toEqual([]);
    expect(views).toEqual([idleView]);
    expect(log.entries.filter((entry) => entry.message.includes('foreign sender'))).toHaveLength(3);
  });

  it('after detach nothing flows either way', async () => {
    const { ipc, bridge, carrier, service, views, watch } = kioskWindow();
    watch();
    await settle();
    carrier.detach();
    carrier.detach();
    service.show(menuView);
    bridge.send({ type: 'PICKUP' });
    watch();
    await settle();
    expect(views).toEqual([idleView]);
    expect(service.rawUiEvents).toEqual([]);
    expect(service.subscriberCount).toBe(0);
    for (const channel of Object.values(IPC)) expect(ipc.ipcMain.listenerCount(channel)).toBe(0);
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
