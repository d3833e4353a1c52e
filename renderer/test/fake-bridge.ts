// A carrier for tests: records what the renderer sends, lets the test push views and
// drop the connection; and a developer-dock channel beside it, as the demo has.
import { act } from '@testing-library/react';
import type { DevCommand, DevDockView } from '../../demo/dev-contract.js';
import type { KioskView, UiEvent } from '../../kiosk/contract.js';
import type { DevChannelConnector } from '../dev-transport.js';
import type { ConnectionStatus, RendererBridge } from '../transport.js';

export interface FakeBridge {
  readonly bridge: RendererBridge;
  /** The dock's channel: pass it to App as `devChannel`. */
  readonly devChannel: DevChannelConnector;
  /** Everything sent, in order, ACTIVITY included. */
  readonly sent: UiEvent[];
  /** What the dock sent on its own channel. */
  readonly devCommands: DevCommand[];
  /** What the traveller asked for: everything but the ACTIVITY pings. */
  requests(): UiEvent[];
  show(view: KioskView): void;
  setConnection(status: ConnectionStatus): void;
  /**
   * The dev channel's current dock view, sent to every open connection and to each one
   * that opens later (as the demo's /dev does on connect). `null`: a channel that never
   * sends one (a station, or a demo without a simulated reader).
   */
  showDock(view: DevDockView | null): void;
  /** Dev channel connections open now. */
  openDevConnections(): number;
}

export function createFakeBridge(): FakeBridge {
  const sent: UiEvent[] = [];
  const devCommands: DevCommand[] = [];
  const viewListeners = new Set<(view: KioskView) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const dockListeners = new Set<(view: DevDockView | null) => void>();
  let status: ConnectionStatus = 'open';
  let dockView: DevDockView | null = null;
  let openConnections = 0;

  const bridge: RendererBridge = {
    subscribe(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    subscribeConnection(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    send(event) {
      sent.push(event);
    },
  };

  const devChannel: DevChannelConnector = () => {
    openConnections += 1;
    const mine = new Set<(view: DevDockView | null) => void>();
    let open = true;
    return {
      subscribe(listener) {
        mine.add(listener);
        dockListeners.add(listener);
        if (dockView) listener(dockView);
        return () => {
          mine.delete(listener);
          dockListeners.delete(listener);
        };
      },
      send(command) {
        if (open) devCommands.push(command);
      },
      close() {
        if (!open) return;
        open = false;
        openConnections -= 1;
        for (const listener of mine) dockListeners.delete(listener);
      },
    };
  };

  return {
    bridge,
    devChannel,
    sent,
    devCommands,
    requests: () => sent.filter((event) => event.type !== 'ACTIVITY'),
    show(view) {
      act(() => {
        for (const listener of viewListeners) listener(view);
      });
    },
    setConnection(next) {
      status = next;
      act(() => {
        for (const listener of statusListeners) listener(next);
      });
    },
    showDock(view) {
      dockView = view;
      act(() => {
        for (const listener of [...dockListeners]) listener(view);
      });
    },
    openDevConnections: () => openConnections,
  };
}
