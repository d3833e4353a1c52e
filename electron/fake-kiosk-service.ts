// A KioskService (and a developer-dock channel) that record what reached them, validating
// with the real parsers, so a carrier test checks what the real ones would accept.
import { parseDevCommand } from '../demo/dev-channel.js';
import type { DevCommand, DevDockView } from '../demo/dev-contract.js';
import { parseUiEvent, type KioskView, type ParseResult, type UiEvent } from '../kiosk/contract.js';
import type { DevChannelPort, KioskService } from '../kiosk/service-types.js';

export const idleView: KioskView = {
  language: 'nl',
  screen: { name: 'idle' },
  inactivityWarning: false,
    serviceKey: 'Control+Alt+KeyM',
    assist: { highContrast: false, largeText: false, speech: false, moreTime: false },
    timing: { warningSeconds: 30, resetSeconds: 45 },
  demo: true,
};

export const menuView: KioskView = {
  ...idleView,
  screen: { name: 'menu', card: { maskedNumber: '•••• •••• •••• 5678', balanceCents: 1250, expiry: '2030-05-31' } },
};

export const emptyDock: DevDockView = { cards: [{ id: 'card-1', label: 'Reiziger' }], presentCardId: null, tearAfterWrites: null };
export const cardOnDock: DevDockView = { ...emptyDock, presentCardId: 'card-1' };

export class FakeKioskService implements KioskService {
  /** Every raw UiEvent handed in, valid or not. */
  readonly rawUiEvents: unknown[] = [];
  /** UiEvents that passed validation: what the machine would see. */
  readonly acceptedUiEvents: UiEvent[] = [];
  readonly rejectedUiEvents: { raw: unknown; error: string }[] = [];
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

/** The demo's dev channel as the carriers see it (DevChannelPort), recording what reached it. */
export class FakeDevChannel implements DevChannelPort {
  readonly accepted: DevCommand[] = [];
  readonly rejected: { raw: unknown; error: string }[] = [];
  private current: DevDockView;
  private readonly listeners = new Set<(view: DevDockView) => void>();

  constructor(initial: DevDockView = emptyDock) {
    this.current = initial;
  }

  readonly view = (): DevDockView => this.current;

  readonly subscribe = (listener: (view: DevDockView) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly receive = (raw: unknown): ParseResult<DevCommand> => {
    const result = parseDevCommand(raw);
    if (result.ok) this.accepted.push(result.value);
    else this.rejected.push({ raw, error: result.error });
    return result;
  };

  show(view: DevDockView): void {
    this.current = view;
    for (const listener of this.listeners) listener(view);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
