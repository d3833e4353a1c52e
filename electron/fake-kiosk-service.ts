// A KioskService that records what reached it, validating with the real contract
// parsers, so a carrier test checks what the real service would accept.
import {
  parseDevCommand,
  parseUiEvent,
  type DevCommand,
  type KioskView,
  type ParseResult,
  type UiEvent,
} from '../kiosk/contract.js';
import type { KioskService } from '../kiosk/service-types.js';

export const idleView: KioskView = {
  language: 'nl',
  screen: { name: 'idle' },
  inactivityWarning: false,
    serviceKey: 'Control+Alt+KeyM',
    assist: { highContrast: false, speech: false, moreTime: false },
    timing: { warningSeconds: 30, resetSeconds: 45 },
  demo: true,
  dev: { cards: [{ id: 'card-1', label: 'Reiziger' }], presentCardId: null, tearAfterWrites: null },
};

export const menuView: KioskView = {
  ...idleView,
  screen: { name: 'menu', card: { maskedNumber: '•••• •••• •••• 5678', balanceCents: 1250, expiry: '2030-05-31' } },
  dev: { cards: [{ id: 'card-1', label: 'Reiziger' }], presentCardId: 'card-1', tearAfterWrites: null },
};

export class FakeKioskService implements KioskService {
  /** Every raw UiEvent handed in, valid or not. */
  readonly rawUiEvents: unknown[] = [];
  /** UiEvents that passed validation: what the machine would see. */
  readonly acceptedUiEvents: UiEvent[] = [];
  readonly rejectedUiEvents: { raw: unknown; error: string }[] = [];
  readonly acceptedDevCommands: DevCommand[] = [];
  readonly rejectedDevCommands: { raw: unknown; error: string }[] = [];
  stops = 0;
  private current: KioskView;
  private readonly listeners = new Set<(view: KioskView) => void>();

  constructor(initial: KioskView = idleView) {
    this.current = initial;
  }

  readonly view = (): KioskView => this.current;

  readonly subscribe = (listener: (view: KioskView) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly receiveUiEvent = (raw: unknown): ParseResult<UiEvent> => {
    this.rawUiEvents.push(raw);
    const result = parseUiEvent(raw);
    if (result.ok) this.acceptedUiEvents.push(result.value);
    else this.rejectedUiEvents.push({ raw, error: result.error });
    return result;
  };

  readonly receiveDevCommand = (raw: unknown): ParseResult<DevCommand> => {
    const result = parseDevCommand(raw);
    if (result.ok) this.acceptedDevCommands.push(result.value);
    else this.rejectedDevCommands.push({ raw, error: result.error });
    return result;
  };

  readonly stop = async (): Promise<void> => {
    this.stops += 1;
  };

  /** The machine moves on: every subscriber gets the new view. */
  show(view: KioskView): void {
    this.current = view;
    for (const listener of this.listeners) listener(view);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
