import type { CardInspection } from '../../../domain/index.js';
import { Facts } from '../../components/Facts.js';
import { productName } from '../../components/order-text.js';
import { useKiosk } from '../../kiosk-context.js';

function Inspection({ inspection }: { readonly inspection: CardInspection }) {
  const { t, money, date, number } = useKiosk();
  if (!inspection.ok) {
    return (
      <div className="alert" role="alert">
        <p className="alert-title">{t('maintenance.testCard.failedTitle')}</p>
        <p>{t(`maintenance.readFailures.${inspection.reason}`)}</p>
      </div>
    );
  }
  const products =
    inspection.products.length === 0 ? (
      t('maintenance.testCard.noProducts')
    ) : (
      <ul className="inspection-products">
        {inspection.products.map((product, index) => (
          <li key={index}>
            <span className="order-title">{productName(product.productCode, t)}</span>
            <span className="order-detail">
              {t('order.validity', { from: date(product.validFrom), until: date(product.validUntil) })}
            </span>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="inspection">
      <p className="alert-title">{t('maintenance.testCard.okTitle')}</p>
      <Facts
        className="facts--card"
        facts={[
          { label: t('maintenance.testCard.number'), value: inspection.maskedNumber },
          { label: t('maintenance.testCard.kind'), value: t(`maintenance.cardKinds.${inspection.kind}`) },
          { label: t('maintenance.testCard.expiry'), value: date(inspection.expiry) },
          { label: t('maintenance.testCard.balance'), value: money(inspection.balanceCents) },
          { label: t('maintenance.testCard.products'), value: products },
          { label: t('maintenance.testCard.ordersOnCard'), value: number(inspection.ordersOnCard) },
          { label: t('maintenance.testCard.activeRecord'), value: inspection.activeRecord },
          { label: t('maintenance.testCard.sequence'), value: number(inspection.sequence) },
          { label: t('maintenance.testCard.layoutVersion'), value: number(inspection.layoutVersion) },
          { label: t('maintenance.testCard.uid'), value: <code>{inspection.uid}</code> },
        ]}
      />
    </div>
  );
}

export function TestCardPage({ inspection }: { readonly inspection: CardInspection | null }) {
  const { t } = useKiosk();
  return (
    <>
      <p className="emphasis">{t('maintenance.testCard.instruction')}</p>
      <div aria-live="polite">
        {inspection === null ? <p>{t('maintenance.testCard.waiting')}</p> : <Inspection inspection={inspection} />}
      </div>
    </>
  );
}
