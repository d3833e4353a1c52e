// Demo mode: cards for the developer dock and orders of all three kinds for them.
// The README lists what each card shows.
import { issueCardBlocks, PRODUCT_SLOTS, type CardCodec, type CardIdentity } from '../hardware/card-layout.js';
import { SimulatedCard } from '../hardware/simulated-reader.js';
import type { WalletEntry } from './wallet.js';
import type { OrderPayload, Store } from '../store/index.js';
import { demoSeal, demoSealKey } from './seal.js';

interface DemoCard {
  readonly id: string;
  readonly label: string;
  readonly uid: string;
  readonly identity?: CardIdentity;
  readonly balanceCents?: number;
  /** Flip a byte of the identity record: a card whose layout is damaged. */
  readonly corrupt?: boolean;
}

export const DEMO_CARDS: readonly DemoCard[] = [
  {
    id: 'anna',
    label: 'Anna · 5678',
    uid: '04A1B2C3',
    identity: { cardNumber: '3528010012345678', kind: 'traveller', expiry: '2031-03-31' },
    balanceCents: 1250,
  },
  {
    id: 'bram',
    label: 'Bram · 4321',
    uid: '04B2C3D4',
    identity: { cardNumber: '3528010087654321', kind: 'traveller', expiry: '2029-12-31' },
    balanceCents: 430,
  },
  {
    id: 'sophie',
    label: 'Sophie · 0000',
    uid: '04C3D4E5',
    identity: { cardNumber: '3528010055550000', kind: 'traveller', expiry: '2030-08-31' },
    balanceCents: 14_000,
  },
  {
    id: 'eva',
    label: 'Eva · 2222 (2024)',
    uid: '04D4E5F6',
    identity: { cardNumber: '3528010011112222', kind: 'traveller', expiry: '2024-06-30' },
    balanceCents: 800,
  },
  {
    id: 'technician',
    label: 'Service · 0001',
    uid: '04E5F607',
    identity: { cardNumber: '9999000012340001', kind: 'technician', expiry: '2030-12-31' },
    balanceCents: 0,
  },
  { id: 'blank', label: 'MIFARE Classic 4K (blank)', uid: '04F60718' },
  {
    id: 'corrupt',
    label: 'Kapot · 9999',
    uid: '04071829',
    identity: { cardNumber: '3528010099999999', kind: 'traveller', expiry: '2030-01-31' },
    balanceCents: 500,
    corrupt: true,
  },
];

/** The demo's technician: tap "Service · 0001" and enter this PIN (README). */
export const DEMO_TECHNICIAN = { technicianId: 'T-0001', cardNumber: '9999000012340001', pin: '135790' } as const;

/**
 * The demo cards, issued as cards are issued now: in the codec's layout (layout 2, sector
 * 32). `layout` issues them in another one the codec reads (1: as cards issued before
 * layout 2 are, in sectors 1–5; tests of such cards).
 */
export function demoWallet(codec: CardCodec, { layout }: { layout?: number } = {}): WalletEntry[] {
  return DEMO_CARDS.map((demo) => {
    if (!demo.identity) return { id: demo.id, label: demo.label, card: new SimulatedCard(demo.uid) };
    // Issued with its seal key (from the demo's seal master), as a card issuing system would.
    const identity = demo.identity.kind === 'traveller' ? { ...demo.identity, sealKey: demoSealKey(demo.identity.cardNumber) } : demo.identity;
    const blocks = issueCardBlocks(
      codec,
      identity,
      { balanceCents: demo.balanceCents ?? 0, products: Array.from({ length: PRODUCT_SLOTS }, () => null), journal: [] },
      layout,
    );
    const card = new SimulatedCard(demo.uid, blocks);
    if (demo.corrupt) {
      // The identity's first block, wherever the layout keeps it.
      const [first = codec.blocksToRead[0] ?? 4] = codec.encodeIdentity(demo.identity, layout).keys();
      const damaged = card.blocks[first]?.slice() ?? new Uint8Array(16);
      damaged[10] = (damaged[10] ?? 0) ^ 0xff;
      card.setBlock(first, damaged);
    }
    return { id: demo.id, label: demo.label, card };
  });
}

function addDays(date: Date, days: number): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Demo cards of a wallet file made before cards carried a seal key get theirs (the identity
 * record rewritten, the rest of the card as it is); true when one changed.
 */
export function addDemoSealKeys(entries: readonly WalletEntry[], codec: CardCodec): boolean {
  let changed = false;
  for (const entry of entries) {
    const demo = DEMO_CARDS.find((d) => d.id === entry.id);
    if (!demo?.identity || demo.identity.kind !== 'traveller' || demo.corrupt) continue;
    const blocks = new Map(codec.blocksToRead.map((n) => [n, entry.card.blocks[n] ?? new Uint8Array(16)]));
    let identity: CardIdentity;
    try {
      identity = codec.decode(blocks).identity;
    } catch {
      continue;
    }
    if (identity.sealKey || identity.cardNumber !== demo.identity.cardNumber) continue;
    for (const [n, data] of codec.encodeIdentity({ ...identity, sealKey: demoSealKey(identity.cardNumber) })) entry.card.setBlock(n, data);
    changed = true;
  }
  return changed;
}

/** A demo order's payload: a kaartservicecode in clear, for the back office to seal. */
export type DemoPayload = Exclude<OrderPayload, { kind: 'kaartservicecode' }> | { kind: 'kaartservicecode'; code: string };

export interface DemoOrder {
  readonly id: string;
  readonly cardNumber: string;
  readonly payload: DemoPayload;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/**
 * The demo's orders, one list for everything that needs them: the embedded back office
 * places them (and sync brings them to the kiosk); test harnesses seed a store directly.
 * `now` sets their dates.
 */
export function demoOrders(now: Date): DemoOrder[] {
  const createdAt = new Date(now.getTime() - 3_600_000).toISOString();
  const expiresAt = new Date(now.getTime() + 30 * 86_400_000).toISOString();
  const anna = '3528010012345678';
  const sophie = '3528010055550000';
  const orders: Omit<DemoOrder, 'createdAt' | 'expiresAt'>[] = [
    { id: 'demo-anna-code', cardNumber: anna, payload: { kind: 'kaartservicecode', code: '4821-9034-7713' } },
    {
      id: 'demo-anna-dal',
      cardNumber: anna,
      payload: { kind: 'product', productCode: 'DAL_VOORDEEL', validFrom: addDays(now, 0), validUntil: addDays(now, 365) },
    },
    { id: 'demo-anna-topup', cardNumber: anna, payload: { kind: 'topup', amountCents: 2000 } },
    { id: 'demo-sophie-topup', cardNumber: sophie, payload: { kind: 'topup', amountCents: 2000 } },
    { id: 'demo-sophie-code', cardNumber: sophie, payload: { kind: 'kaartservicecode', code: '5530-1187-2046' } },
  ];
  return orders.map((order) => ({ ...order, createdAt, expiresAt }));
}

/** The demo orders straight into a store (tests without a back office), codes sealed as the demo back office seals them. Upserting again changes nothing delivered. */
export function seedDemoOrders(store: Store, now: Date): void {
  for (const order of demoOrders(now)) {
    const p = order.payload;
    const payload: OrderPayload = p.kind === 'kaartservicecode' ? { kind: 'kaartservicecode', sealed: demoSeal(order.id, order.cardNumber, p.code) } : p;
    store.orders.upsert({ ...order, payload });
  }
}
