// A carrier for tests: records what the renderer sends, lets the test push views and
// drop the connection.
import { act } from '@testing-library/react';
import type { DevCommand, KioskView, UiEvent } from '../../kiosk/contract.js';
import type { ConnectionStatus, RendererBridge } from '../transport.js';

export interface FakeBridge {
  readonly bridge: RendererBridge;
  /** Everything sent, in order, ACTIVITY included. */
  readonly sent: UiEvent[];
  readonly devCommands: DevCommand[];
  /** What the traveller asked for: everything but the ACTIVITY pings. */
  requests(): UiEvent[];
  show(view: KioskView): void;
  setConnection(status: ConnectionStatus): void;
}

export function createFakeBridge(): FakeBridge {
  const sent: UiEvent[] = [];
  const devCommands: DevCommand[] = [];
  const viewListeners = new Set<(view: KioskView) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'open';

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
    dev(command) {
      devCommands.push(command);
    },
  };

  return {
    bridge,
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
  };
}
