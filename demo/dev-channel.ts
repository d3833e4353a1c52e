// The developer dock's channel: validates the dock's commands and runs them on the
// simulated reader (tap a demo card, remove it, tear the next delivery), and publishes the
// dock view after every command and whenever the reader's state changes. The hosts carry
// it as an opaque DevChannelPort (kiosk/service-types.ts) on a path of its own; the
// kiosk service and the product's contract know nothing of it.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimulatedReader } from '../hardware/simulated-reader.js';
import type { ParseResult } from '../kiosk/contract.js';
import type { DevChannelPort } from '../kiosk/service-types.js';
import type { DevCommand, DevDockView } from './dev-contract.js';
import type { VirtualPrinter } from './virtual-printer.js';
import type { SimulatedWallet } from './wallet.js';
import { PRINTER_CONDITIONS } from '../domain/printer.js';

export const devCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dev.tap'), cardId: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('dev.remove') }).strict(),
  /** The next delivery loses the card after `afterWrites` block writes (0 = before the first). */
  z.object({ type: z.literal('dev.tearNextWrite'), afterWrites: z.number().int().min(0).max(64) }).strict(),
  z.object({ type: z.literal('dev.printer'), condition: z.enum(PRINTER_CONDITIONS) }).strict(),
]);

// The schema and the dock's DevCommand (demo/dev-contract.ts, types only) must stay the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesContract: Same<z.infer<typeof devCommandSchema>, DevCommand> = true;
void schemaMatchesContract;

export function parseDevCommand(raw: unknown): ParseResult<DevCommand> {
  const result = devCommandSchema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: z.prettifyError(result.error) };
}

export interface DevChannel extends DevChannelPort {
  view(): DevDockView;
  subscribe(listener: (view: DevDockView) => void): () => void;
  /** Validates and runs a raw command; an invalid one (or an unknown card) is refused and logged. */
  receive(raw: unknown): ParseResult<DevCommand>;
  /** Stops following the reader and forgets every listener. */
  close(): void;
}

export interface DevChannelOptions {
  readonly reader: SimulatedReader;
  readonly wallet: SimulatedWallet;
  readonly log: Logger;
  /** The demo's virtual receipt printer: its condition set from the dock, its last receipt shown there. */
  readonly printer?: VirtualPrinter | undefined;
}

function printerView(printer: VirtualPrinter): NonNullable<DevDockView['printer']> {
  const receipts = printer.receipts();
  const last = receipts.at(-1);
  return {
    condition: printer.condition(),
    receipts: receipts.length,
    lastReceipt: last ? `data:image/png;base64,${last.png.toString('base64')}` : null,
  };
}

export function createDevChannel({ reader, wallet, log, printer }: DevChannelOptions): DevChannel {
  const listeners = new Set<(view: DevDockView) => void>();

  const view = (): DevDockView => {
    const present = reader.presentCard();
    return {
      cards: wallet.list().map((entry) => ({ id: entry.id, label: entry.label })),
      presentCardId: present ? (wallet.byCard(present)?.id ?? null) : null,
      tearAfterWrites: reader.tearArmed()?.after ?? null,
      ...(printer ? { printer: printerView(printer) } : {}),
    };
  };
  const publish = () => {
    const current = view();
    for (const listener of [...listeners]) listener(current);
  };
  // A card torn away mid-write, a reader restarted by a technician: the dock follows.
  const stopFollowing = reader.subscribe(publish);
  const stopFollowingPrinter = printer?.subscribe(publish);

  function run(command: DevCommand): ParseResult<DevCommand> {
    switch (command.type) {
      case 'dev.tap': {
        const entry = wallet.get(command.cardId);
        if (!entry) return { ok: false, error: `no demo card ${command.cardId}` };
        // The card as the wallet file holds it now (the gate simulator may have written it).
        reader.remove();
        wallet.refresh();
        reader.tap(entry.card);
        break;
      }
      case 'dev.remove':
        reader.remove();
        break;
      case 'dev.tearNextWrite':
        reader.armTear(command.afterWrites, 'writes');
        break;
      case 'dev.printer':
        if (!printer) return { ok: false, error: 'this demo has no virtual printer' };
        printer.setCondition(command.condition);
        break;
      default: {
        const unreachable: never = command;
        throw new Error(`unknown dev command ${JSON.stringify(unreachable)}`);
      }
    }
    return { ok: true, value: command };
  }

  return {
    view,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    receive(raw) {
      const parsed = parseDevCommand(raw);
      const result = parsed.ok ? run(parsed.value) : parsed;
      if (!result.ok) {
        log.warn({ error: result.error }, 'rejected a developer-dock command');
        return result;
      }
      // Arming a tear changes no reader state: publish in any case.
      publish();
      return result;
    },
    close() {
      stopFollowing();
      stopFollowingPrinter?.();
      listeners.clear();
    },
  };
}
