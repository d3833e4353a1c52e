import type { CardView } from '../../kiosk/contract.js';
import { useKiosk } from '../kiosk-context.js';

export function CardPanel({ card }: { readonly card: CardView }) {
  const { t, money, date } = useKiosk();
  return (
    <section className="card-panel" aria-label={t('card.heading')}>
      <dl>
        <div>
          <dt>{t('card.number')}</dt>
          <dd className="card-number">{card.maskedNumber}</dd>
        </div>
        <div>
          <dt>{t('card.balance')}</dt>
          <dd>{money(card.balanceCents)}</dd>
        </div>
        <div>
          <dt>{t('card.expiry')}</dt>
          <dd>{date(card.expiry)}</dd>
        </div>
      </dl>
    </section>
  );
}
