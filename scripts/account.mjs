// Mijn NS by hand against the running demo's back office (issue 14): the four steps of
// linking a card, the travel history and claims, and the operator's delays.
//   npm run account -- request 3528010012345678 anna@example.org nl   step 1 (the e-mails: step 2)
//   (step 3 at the kiosk: tap the card, Ophalen bestelling, the kaartservicecode, Akkoord)
//   npm run account -- link acc-anna 3528010012345678 1234-5678-9012  step 4
//   npm run account -- journeys acc-anna
//   npm run account -- bank acc-anna NL91ABNA0417164300 "A. Jansen"     the account's bank account
//   npm run account -- claim acc-anna 3528010012345678 <journeyId> delay|forgotten [destination] [--bank]
//   npm run account -- payouts [pending|paid]                          the finance side: payout instructions
//   npm run account -- paid <payoutId>                                 the finance side: paid (once)
//   npm run account -- delays [file.json] [--day YYYY-MM-DD]           the operator's realised times
//   npm run account -- mails [count]                                  the demo's last e-mails
// Plain Node (global fetch), no build needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, dataDir, fail } from './demo-online.mjs';

const USAGE = `usage: npm run account -- <command>
  request <cardNumber> <email> [nl|en|de|fr]     request a kaartservicecode online (two e-mails follow)
  link <accountId> <cardNumber> <code>           link the card with the code the ticket machine showed
  journeys <accountId>                           the linked cards' travel history, what each journey can earn
  bank <accountId> <iban> <holder>               the account's bank account (an IBAN, checked; shown masked)
  claim <accountId> <cardNumber> <journeyId> delay|forgotten [destination] [--bank]
                                                 claim money back (a forgotten check-out names its destination);
                                                 --bank: paid to the account's bank account, not onto the card
  payouts [pending|paid]                         the finance side: payout instructions of bank claims
  paid <payoutId>                                the finance side: mark a payout paid (its IBAN is then cleared)
  delays [file.json] [--day YYYY-MM-DD]          import realised train services (default demo/delays.json,
                                                 moved to --day: its times of day on that day, UTC)
  mails [count]                                  the last e-mails the demo back office sent
env: KIOSK_DATA_DIR (default $XDG_DATA_HOME/station-kiosk or ~/.local/share/station-kiosk)`;

const euros = (cents) => (cents === null || cents === undefined ? '' : `€ ${(cents / 100).toFixed(2).replace('.', ',')}`);
const [command, ...args] = process.argv.slice(2);

/** `iso`'s time of day on `day`. */
const onDay = (iso, day) => new Date(`${day}T${new Date(iso).toISOString().slice(11)}`).toISOString();

switch (command) {
  case 'request': {
    const [cardNumber, email, language = 'nl'] = args;
    if (!cardNumber || !email) fail(USAGE);
    const { order, repeated } = await call('POST', '/kaartservicecode-requests', { cardNumber, email, language });
    process.stdout.write(
      repeated
        ? `Already requested a moment ago: order ${order.id} (no second code).\n`
        : `Kaartservicecode requested: order ${order.id}, to pick up before ${order.expiresAt}.\n` +
            `Two e-mails are on their way (npm run account -- mails). Step 3: tap the card at the kiosk, Ophalen bestelling.\n`,
    );
    break;
  }
  case 'link': {
    const [accountId, cardNumber, code] = args;
    if (!accountId || !cardNumber || !code) fail(USAGE);
    const result = await call('POST', `/accounts/${encodeURIComponent(accountId)}/cards`, { cardNumber, code }, [403, 409, 410, 423]);
    const said = {
      wrongCode: `Wrong code: ${result.attemptsLeft} attempts left for this card.`,
      locked: 'Locked: too many wrong codes for this card. Pick up a new kaartservicecode at a ticket machine with the card.',
      used: 'This code has linked a card already.',
      notPickedUp: 'Pick the code up at a ticket machine first (Ophalen bestelling).',
      expired: 'This code has expired: request a new one.',
    };
    if (result.error) fail(said[result.error] ?? result.error);
    process.stdout.write(`Card ${result.cardNumber} linked to ${result.accountId} at ${result.linkedAt}.\n`);
    break;
  }
  case 'journeys': {
    const [accountId] = args;
    if (!accountId) fail(USAGE);
    const { cards, journeys } = await call('GET', `/accounts/${encodeURIComponent(accountId)}/journeys`);
    if (cards.length === 0) process.stdout.write(`No card is linked to ${accountId}.\n`);
    for (const { cardNumber, journey, assessment: a, bankPayout } of journeys) {
      const to = journey.checkOut ? journey.checkOut.station : '(no check-out)';
      const what = {
        eligible: a.kind === 'delay' ? `eligible: ${euros(a.amountCents)} back` : 'eligible: claim the difference (name the destination)',
        waiting: `claim waiting, decided after ${a.decisionAfter}`,
        claimed: a.orderId === null ? `claimed: ${euros(a.amountCents)}, paid to the bank` : `claimed: ${euros(a.amountCents)}, order ${a.orderId} (pick it up at a kiosk)`,
        none: `nothing to claim (${a.reason})`,
      }[a.status];
      const delay = a.delayMinutes === null ? '' : `, ${a.delayMinutes} min late`;
      const bank = bankPayout === null ? '' : `  [to the bank •••• ${bankPayout.ibanLast4 ?? '????'}: ${bankPayout.status}${bankPayout.payoutId ? `, ${bankPayout.payoutId}` : ''}]`;
      process.stdout.write(`${cardNumber.slice(-4)}  ${a.journeyId}  ${journey.checkIn.station} → ${to}  ${euros(journey.chargedCents)}${delay}  — ${what}${bank}\n`);
    }
    break;
  }
  case 'bank': {
    const [accountId, iban, ...holder] = args;
    if (!accountId || !iban || holder.length === 0) fail(USAGE);
    const account = await call('PUT', `/accounts/${encodeURIComponent(accountId)}/bank-account`, { iban, holder: holder.join(' ') });
    process.stdout.write(`Bank account of ${account.accountId}: ${account.iban} (${account.holder}). Claim with --bank to be paid there.\n`);
    break;
  }
  case 'claim': {
    const bank = args.includes('--bank');
    const [accountId, cardNumber, journeyId, kind, destination] = args.filter((a) => a !== '--bank');
    if (!accountId || !cardNumber || !journeyId || (kind !== 'delay' && kind !== 'forgotten')) fail(USAGE);
    const result = await call('POST', `/accounts/${encodeURIComponent(accountId)}/claims`, {
      cardNumber,
      journeyId,
      kind: kind === 'delay' ? 'delay' : 'forgottenCheckOut',
      ...(destination ? { destination } : {}),
      payout: bank ? 'bank' : 'card',
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    break;
  }
  case 'payouts': {
    const status = args[0] ?? 'pending';
    if (status !== 'pending' && status !== 'paid') fail(USAGE);
    let after = 0;
    let count = 0;
    for (;;) {
      const page = await call('GET', `/payouts?status=${status}&after=${after}&limit=100`);
      for (const p of page.payouts) {
        count++;
        process.stdout.write(`${p.id}  ${euros(p.amountCents)}  ${p.iban ?? `•••• ${p.ibanLast4}`}  ${p.holder ?? ''}  card ${p.cardNumber.slice(-4)}  ${p.kind} ${p.journeyId}  ${p.status}${p.paidAt ? ` ${p.paidAt}` : ''}\n`);
      }
      if (page.next === null) break;
      after = page.next;
    }
    if (count === 0) process.stdout.write(`No ${status} payouts.\n`);
    break;
  }
  case 'paid': {
    const [id] = args;
    if (!id) fail(USAGE);
    const { payout, alreadyPaid } = await call('POST', `/payouts/${encodeURIComponent(id)}/paid`);
    process.stdout.write(alreadyPaid ? `Payout ${payout.id} was paid already (${payout.paidAt}).\n` : `Payout ${payout.id} of ${euros(payout.amountCents)} marked paid; its IBAN is cleared.\n`);
    break;
  }
  case 'delays': {
    const dayAt = args.indexOf('--day');
    const day = dayAt >= 0 ? args[dayAt + 1] : undefined;
    if (dayAt >= 0 && !/^\d{4}-\d{2}-\d{2}$/.test(day ?? '')) fail(USAGE);
    const file = args.find((a, i) => !a.startsWith('--') && (dayAt < 0 || i !== dayAt + 1)) ?? join(fileURLToPath(new URL('..', import.meta.url)), 'demo', 'delays.json');
    const { services } = JSON.parse(readFileSync(file, 'utf8'));
    const moved = day === undefined ? services : services.map((s) => ({ ...s, serviceId: `${s.serviceId}-${day}`, scheduledDeparture: onDay(s.scheduledDeparture, day), scheduledArrival: onDay(s.scheduledArrival, day), actualArrival: onDay(s.actualArrival, day) }));
    const { stored, decided } = await call('PUT', '/train-services', { services: moved });
    process.stdout.write(`${stored} train services stored; ${decided} waiting claims decided.\n`);
    break;
  }
  case 'mails': {
    const count = Number(args[0] ?? 5);
    let lines = [];
    try {
      lines = readFileSync(join(dataDir(), 'mail.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      fail('No e-mails sent yet.');
    }
    for (const line of lines.slice(-count)) {
      const mail = JSON.parse(line);
      process.stdout.write(`— ${mail.at} to ${mail.to}: ${mail.subject}\n${mail.text}\n\n`);
    }
    break;
  }
  default:
    fail(USAGE);
}
