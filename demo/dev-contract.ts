// The developer dock's channel: what the demo's dev channel (demo/dev-channel.ts) and the
// renderer's dock (renderer/DevDock.tsx, renderer/dev-transport.ts) say to each other.
// Types only: the renderer imports them, and nothing of the demo is bundled into it.
// This channel is not part of the product's contract (kiosk/contract.ts): a station
// has no dev channel, and its carriers do not carry one.
import type { PrinterCondition } from '../domain/printer.js';

/** What the dock sends: hold a demo card to the simulated reader, take it away, or tear the next delivery. */
export type DevCommand =
  | { readonly type: 'dev.tap'; readonly cardId: string }
  | { readonly type: 'dev.remove' }
  /** The next delivery loses the card after `afterWrites` block writes (0 = before the first). */
  | { readonly type: 'dev.tearNextWrite'; readonly afterWrites: number }
  /** The virtual receipt printer's condition: paper in, paper low, out, cover open, off line. */
  | { readonly type: 'dev.printer'; readonly condition: PrinterCondition };

/** What the dock shows. */
export interface DevDockView {
  readonly cards: readonly { readonly id: string; readonly label: string }[];
  readonly presentCardId: string | null;
  /** Set while a tear is armed for the next delivery. */
  readonly tearAfterWrites: number | null;
  /** The demo's virtual receipt printer (absent without one). */
  readonly printer?: {
    readonly condition: PrinterCondition;
    readonly receipts: number;
    /** The last receipt as the printer rendered it (a PNG data: URL), or null. */
    readonly lastReceipt: string | null;
  };
}

/**
 * The web host's `/dev` WebSocket, server to dock: the dock view (at once on connecting,
 * then after every command and every change of the reader), or why a command was refused.
 * Dock to server: a bare DevCommand as JSON.
 */
export type DevServerMessage =
  | { readonly kind: 'view'; readonly view: DevDockView }
  | { readonly kind: 'rejected'; readonly error: string };

/** The dock's end of the channel as the Electron preload exposes it (`window.kioskDev`). */
export interface DevBridge {
  /** Asks for the current dock view at once; then every new one. */
  subscribe(listener: (view: DevDockView) => void): () => void;
  send(command: DevCommand): void;
}
