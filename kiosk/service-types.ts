import type { KioskView, ParseResult, UiEvent } from './contract.js';

/**
 * What became of a UiEvent: taken, invalid (`ParseResult`'s refusal), or valid but not
 * taken by the screen the kiosk is on (`notTaken`: a stale button, a double press).
 */
export type UiEventResult = ParseResult<UiEvent> | { readonly ok: false; readonly error: string; readonly notTaken: true };

/**
 * The running kiosk as a carrier (web host, Electron IPC) sees it. Carriers pass raw,
 * untrusted input to `receive*`, which validate it; nothing else reaches the machine.
 */
export interface KioskService {
  readonly view: () => KioskView;
  readonly subscribe: (listener: (view: KioskView) => void) => () => void;
  /**
   * Validates and forwards a UiEvent. An invalid one, or one the current screen does not
   * take, is rejected (the carrier answers so) and logged, a few of each kind at a time.
   */
  readonly receiveUiEvent: (raw: unknown) => UiEventResult;
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
