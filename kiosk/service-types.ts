import type { KioskView, ParseResult, UiEvent } from './contract.js';

/**
 * The running kiosk as a carrier (web host, Electron IPC) sees it. Carriers pass raw,
 * untrusted input to `receive*`, which validate it; nothing else reaches the machine.
 */
export interface KioskService {
  readonly view: () => KioskView;
  readonly subscribe: (listener: (view: KioskView) => void) => () => void;
  /** Validates and forwards a UiEvent. An invalid one is rejected and logged. */
  readonly receiveUiEvent: (raw: unknown) => ParseResult<UiEvent>;
  readonly stop: () => Promise<void>;
}

/**
 * A channel next to the product's contract that the hosts carry when, and only when, a
 * composition gives them one (the demo's developer dock: demo/dev-channel.ts). Its views
 * and commands are opaque here, so kiosk/ and electron/ carry them without knowing the
 * demo: the web host serves it on its own WebSocket path (`/dev`), the Electron carrier on
 * its own IPC channels (DEV_IPC). `receive` validates raw, untrusted input, like
 * `KioskService.receiveUiEvent`.
 */
export interface DevChannelPort {
  view(): unknown;
  subscribe(listener: (view: unknown) => void): () => void;
  receive(raw: unknown): ParseResult<unknown>;
}
