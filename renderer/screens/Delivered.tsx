import type { OutcomeView, ReceiptView, Screen } from '../../kiosk/contract.js';
import { CODE_ENTRY_URL } from '../../domain/index.js';
import { Button } from '../components/Button.js';
import { orderText, productName } from '../components/order-text.js';
import { QrCode } from '../components/QrCode.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** The address as a traveller types it: no scheme. */
const shownUrl = CODE_ENTRY_URL.replace(/^https?:\/\//, '');

/** What to do with a kaartservicecode: Mijn NS → "OV-chipkaart koppelen" → card number and code. */
function CodeNextStep() {
  const { t } = useKiosk();
  return (
    <section className="next-step" aria-labelledby="next-step-title">
      <div className="next-step-text">
        <h2 id="next-step-title">{t('delivered.nextTitle')}</h2>
        <ol>
          <li>{t('delivered.nextStep1', { url: shownUrl })}</li>
          <li>{t('delivered.nextStep2')}</li>
          <li>{t('delivered.nextStep3')}</li>
        </ol>
      </div>
      <QrCode value={CODE_ENTRY_URL} label={t('delivered.qrLabel', { url: shownUrl })} />
    </section>
  );
}

function Outcome({ outcome, shownAgainHours }: { readonly outcome: OutcomeView; readonly shownAgainHours: number }) {
  const { t, money, date, covered } = useKiosk();
  switch (outcome.kind) {
    case 'kaartservicecode':
      return (
        <div className="outcome outcome--code">
          <div className="code-box">
            <p className="code-label">{t('delivered.codeLabel')}</p>
            {covered ? (
              <p className="code code--covered" data-testid="kaartservicecode-covered">
                {t('delivered.codeCovered')}
              </p>
            ) : (
              <p className="code" data-testid="kaartservicecode" data-secret="">
                {outcome.code}
              </p>
            )}
            <p className="emphasis">{t('delivered.codeWriteDown')}</p>
            <p>{t('delivered.codeShownAgain', { count: shownAgainHours })}</p>
          </div>
          <CodeNextStep />
        </div>
      );
    case 'product':
      return (
        <div className="outcome order-box">
          <p className="order-title">{productName(outcome.product.productCode, t)}</p>
          <p>
            {t('order.validity', { from: date(outcome.product.validFrom), until: date(outcome.product.validUntil) })}
          </p>
        </div>
      );
    case 'topup':
      return (
        <div className="outcome order-box">
          <p className="order-title">{t('delivered.topupAmount', { amount: money(outcome.amountCents) })}</p>
          <p>{t('delivered.newBalance', { balance: money(outcome.balanceCents) })}</p>
        </div>
      );
    default: {
      const _never: never = outcome;
      return null;
    }
  }
}

function titleKey(outcome: OutcomeView) {
  switch (outcome.kind) {
    case 'kaartservicecode':
      return 'delivered.titleCode' as const;
    case 'product':
      return 'delivered.titleProduct' as const;
    case 'topup':
      return 'delivered.titleTopup' as const;
    default: {
      const _never: never = outcome;
      return 'delivered.titleProduct' as const;
    }
  }
}

/** What became of the receipt, said politely (the button itself is among the actions). */
function receiptMessage(receipt: ReceiptView): 'delivered.printing' | 'delivered.printed' | 'delivered.alreadyPrinted' | 'delivered.printFailed' | 'delivered.noReceipt' | null {
  switch (receipt.state) {
    case 'none':
      return receipt.available ? null : 'delivered.noReceipt';
    case 'printing':
      return 'delivered.printing';
    case 'printed':
      return 'delivered.printed';
    case 'alreadyPrinted':
      return 'delivered.alreadyPrinted';
    case 'failed':
      return 'delivered.printFailed';
    default: {
      const _never: never = receipt.state;
      return null;
    }
  }
}

/** "Bon afdrukken": offered while the printer can print and no receipt was printed for this delivery. */
const canAskReceipt = (receipt: ReceiptView | undefined) =>
  receipt !== undefined && receipt.available && (receipt.state === 'none' || receipt.state === 'failed');

/** What the contract's delivered screen carries. */
export type DeliveredProps = Omit<Extract<Screen, { name: 'delivered' }>, 'name'>;

export function Delivered({ outcome, collected, cardGone, graceSeconds, moreOrders, shownAgainHours, receipt }: DeliveredProps) {
  const { t, money, date, send } = useKiosk();
  const done = (
    <Button variant={moreOrders && !cardGone ? 'secondary' : 'primary'} onClick={() => send({ type: 'STOP' })} back>
      {t('delivered.done')}
    </Button>
  );
  const printButton = canAskReceipt(receipt) ? (
    <Button variant="secondary" onClick={() => send({ type: 'PRINT_RECEIPT' })}>
      {t('delivered.print')}
    </Button>
  ) : null;
  const message = receipt ? receiptMessage(receipt) : null;
  return (
    <ScreenLayout
      name="delivered"
      title={t(titleKey(outcome))}
      actions={
        cardGone || !moreOrders ? (
          <>
            {printButton}
            {done}
          </>
        ) : (
          <>
            <Button onClick={() => send({ type: 'PICKUP' })}>{t('delivered.another')}</Button>
            {printButton}
            {done}
          </>
        )
      }
    >
      {cardGone ? (
        <div className="notice" role="status">
          <p className="notice-title">{t('delivered.cardGone')}</p>
          <p>{t('delivered.cardGoneBody', { count: graceSeconds })}</p>
        </div>
      ) : (
        <p className="take-card-hint">{t('delivered.takeCard')}</p>
      )}
      {/* "Alles ophalen": what else this run put on the card, in one line (the screen stays one screenful). */}
      {collected.length > 0 && (
        <p className="collected emphasis">
          {t('delivered.collected', { orders: collected.map((done) => orderText(done.order, t, money, date).title).join(', ') })}
        </p>
      )}
      <Outcome outcome={outcome} shownAgainHours={shownAgainHours} />
      {receipt && (
        <div role="status" className="receipt-status" data-testid="receipt-status">
          {message && <p className="emphasis">{t(message)}</p>}
        </div>
      )}
    </ScreenLayout>
  );
}
