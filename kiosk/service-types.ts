import type { DevCommand, KioskView, ParseResult, UiEvent } from './contract.js';

/**
 * The running kiosk as a carrier (web host, Electron IPC) sees it. Carriers pass raw,
 * untrusted input to `receive*`, which validate it; nothing else reaches the machine.
 */
export interface KioskService {
  readonly view: () => KioskView;
  readonly subscribe: (listener: (view: KioskView) => void) => () => void;
  /** Validates and forwards a UiEvent. An invalid one is rejected and logged. */
  readonly receiveUiEvent: (raw: unknown) => ParseResult<UiEvent>;
  /** Validates and runs a developer-dock command; refused unless in demo mode. */
  readonly receiveDevCommand: (raw: unknown) => ParseResult<DevCommand>;
  readonly stop: () => Promise<void>;
}
