// The developer dock's channel: validates, runs the command on the simulated reader, and
// publishes the dock view after each command and on every change of the reader.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutV1 } from '../hardware/card-layout.js';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { demoWallet } from './cards.js';
import { createDevChannel, type DevChannel } from './dev-channel.js';
import type { DevDockView } from './dev-contract.js';
import { SimulatedWallet } from './wallet.js';

function setup() {
  const logged: { msg: string; error?: string }[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as { msg: string }) });
  const reader = new SimulatedReader();
  const { wallet } = SimulatedWallet.open(null, () => demoWallet(layoutV1));
  const channel = createDevChannel({ reader, wallet, log });
  const views: DevDockView[] = [];
  channel.subscribe((view) => views.push(view));
  return { reader, wallet, channel, views, logged };
}

let open: DevChannel | null = null;
afterEach(() => {
  open?.close();
  open = null;
});

describe('developer-dock channel', () => {
  it('lists the demo cards with nothing on the reader and no tear armed', () => {
    const { channel } = setup();
    open = channel;
    const view = channel.view();
    expect(view.cards.map((card) => card.id)).toEqual(['anna', 'bram', 'sophie', 'eva', 'technician', 'blank', 'corrupt']);
    expect(view.cards[0]).toEqual({ id: 'anna', label: 'Anna · 5678' });
    expect(view).toMatchObject({ presentCardId: null, tearAfterWrites: null });
  });

  it('taps, arms a tear and removes, publishing the dock view after each', () => {
    const { channel, reader, views } = setup();
    open = channel;
    expect(channel.receive({ type: 'dev.tap', cardId: 'anna' })).toEqual({ ok: true, value: { type: 'dev.tap', cardId: 'anna' } });
    expect(reader.state()).toMatchObject({ status: 'card_present' });
    expect(views.at(-1)?.presentCardId).toBe('anna');
    expect(channel.receive({ type: 'dev.tearNextWrite', afterWrites: 3 }).ok).toBe(true);
    expect(reader.tearArmed()).toEqual({ after: 3, counting: 'writes' });
    expect(views.at(-1)?.tearAfterWrites).toBe(3);
    expect(channel.receive({ type: 'dev.remove' }).ok).toBe(true);
    expect(views.at(-1)).toMatchObject({ presentCardId: null, tearAfterWrites: 3 });
  });

  it('follows the reader on its own: a card torn away mid-write shows as gone, the tear as spent', async () => {
    const { channel, reader, views } = setup();
    open = channel;
    channel.receive({ type: 'dev.tap', cardId: 'bram' });
    channel.receive({ type: 'dev.tearNextWrite', afterWrites: 0 });
    expect(views.at(-1)).toMatchObject({ presentCardId: 'bram', tearAfterWrites: 0 });
    await expect(reader.card()!.writeBlock(4, new Uint8Array(16))).rejects.toThrow(/torn/);
    expect(views.at(-1)).toMatchObject({ presentCardId: null, tearAfterWrites: null });
    channel.receive({ type: 'dev.tap', cardId: 'anna' });
    reader.unplug();
    expect(views.at(-1)?.presentCardId).toBeNull();
  });

  it.each([
    ['a bare string', 'dev.remove'],
    ['an unknown command', { type: 'dev.explode' }],
    ['an unknown field', { type: 'dev.remove', extra: 1 }],
    ['a negative tear', { type: 'dev.tearNextWrite', afterWrites: -1 }],
    ['a fractional tear', { type: 'dev.tearNextWrite', afterWrites: 1.5 }],
    ['a tap without a card', { type: 'dev.tap' }],
    ['a kiosk UiEvent', { type: 'PICKUP' }],
  ])('refuses %s with a reason, logs it and changes nothing', (_what, raw) => {
    const { channel, reader, views, logged } = setup();
    open = channel;
    const result = channel.receive(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.length).toBeGreaterThan(0);
    expect(logged).toEqual([expect.objectContaining({ msg: 'rejected a developer-dock command', error: !result.ok && result.error })]);
    expect(views).toEqual([]);
    expect(reader.state()).toEqual({ status: 'ready' });
    expect(reader.tearArmed()).toBeNull();
  });

  it('refuses a card that is not in the wallet', () => {
    const { channel, reader, logged } = setup();
    open = channel;
    expect(channel.receive({ type: 'dev.tap', cardId: 'nobody' })).toEqual({ ok: false, error: 'no demo card nobody' });
    expect(logged).toHaveLength(1);
    expect(reader.state()).toEqual({ status: 'ready' });
  });

  it('after close it follows the reader no more', () => {
    const { channel, reader, wallet, views } = setup();
    channel.close();
    reader.tap(wallet.get('anna')!.card);
    expect(views).toEqual([]);
  });
});

describe('the virtual receipt printer in the dock', () => {
  it('sets the printer’s condition and shows the last receipt it printed', async () => {
    const { startVirtualPrinter } = await import('./virtual-printer.js');
    const { createTcpPrinter } = await import('../hardware/escpos-tcp.js');
    const printer = await startVirtualPrinter();
    try {
      const reader = new SimulatedReader();
      const { wallet } = SimulatedWallet.open(null, () => demoWallet(layoutV1));
      const channel = createDevChannel({ reader, wallet, printer, log: pino({ level: 'silent' }) });
      open = channel;
      expect(channel.view().printer).toEqual({ condition: 'ready', receipts: 0, lastReceipt: null });
      expect(channel.receive({ type: 'dev.printer', condition: 'paperOut' }).ok).toBe(true);
      expect(printer.condition()).toBe('paperOut');
      expect(channel.receive({ type: 'dev.printer', condition: 'jammed' }).ok).toBe(false);
      printer.setCondition('ready');
      const views: DevDockView[] = [];
      channel.subscribe((view) => views.push(view));
      await createTcpPrinter({ host: printer.host, port: printer.port }).print(Uint8Array.from(Buffer.from('Bon\n\x1dVB\x00', 'latin1')));
      const last = views.at(-1)?.printer;
      expect(last?.receipts).toBe(1);
      expect(last?.lastReceipt).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    } finally {
      await printer.close();
    }
  });
});
