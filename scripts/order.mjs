// Places and follows orders on the running demo's embedded back office, as the web shop
// would (its address and online token are in <dataDir>/backoffice.json).
//   npm run order -- topup 3528010012345678 20.00
//   npm run order -- code 3528010012345678 [e-mail]
//   npm run order -- product 3528010012345678 DAL_VOORDEEL [days]
//   npm run order -- cancel <orderId>
//   npm run order -- status <orderId>
//   npm run order -- conflicts
// Plain Node (global fetch), no build needed.
import { call, fail } from './demo-online.mjs';

const USAGE = `usage: npm run order -- <command>
  topup <cardNumber> <euros>            a balance top-up, e.g. topup 3528010012345678 20.00
  code <cardNumber> [email]             a kaartservicecode (revealed only at the machine)
  product <cardNumber> <productCode> [days]
  cancel <orderId>
  status <orderId>
  conflicts                             pickups the operator should look at
env: KIOSK_DATA_DIR (default $XDG_DATA_HOME/station-kiosk or ~/.local/share/station-kiosk)`;

const today = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const [command, ...args] = process.argv.slice(2);
const email = 'demo@example.org';

let result;
switch (command) {
  case 'topup': {
    const [cardNumber, euros] = args;
    const amountCents = Math.round(Number(euros) * 100);
    if (!cardNumber || !Number.isFinite(amountCents)) fail(USAGE);
    result = await call('POST', '/orders', { kind: 'topup', cardNumber, email, amountCents });
    break;
  }
  case 'code': {
    const [cardNumber, to] = args;
    if (!cardNumber) fail(USAGE);
    result = await call('POST', '/orders', { kind: 'kaartservicecode', cardNumber, email: to ?? email });
    break;
  }
  case 'product': {
    const [cardNumber, productCode, days] = args;
    if (!cardNumber || !productCode) fail(USAGE);
    result = await call('POST', '/orders', {
      kind: 'product', cardNumber, email, productCode, validFrom: today(), validUntil: today(Number(days ?? 30)),
    });
    break;
  }
  case 'cancel':
    if (!args[0]) fail(USAGE);
    result = await call('POST', `/orders/${encodeURIComponent(args[0])}/cancel`);
    break;
  case 'status':
    if (!args[0]) fail(USAGE);
    result = await call('GET', `/orders/${encodeURIComponent(args[0])}`);
    break;
  case 'conflicts':
    result = await call('GET', '/conflicts');
    break;
  default:
    fail(USAGE);
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
