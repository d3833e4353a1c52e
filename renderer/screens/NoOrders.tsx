import type { CardView, OrderListChangeView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';
import { ListChange } from './Orders.js';

export function NoOrders({
  change,
  refundComing,
}: {
  readonly card: CardView;
  readonly change: OrderListChangeView | null;
  readonly refundComing?: boolean | undefined;
}) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="noOrders"
      title={t('noOrders.title')}
      actions={
        <>
          <Button onClick={() => send({ type: 'BACK' })} back>{t('common.back')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'STOP' })}>
            {t('common.stop')}
          </Button>
        </>
      }
    >
      {/* The last order left while the list was open: say what became of it first. */}
      <ListChange change={change} />
      {/* A refund just claimed: it reaches this kiosk through the feed, within a minute. */}
      {refundComing === true && <p className="notice">{t('noOrders.refundComing')}</p>}
      <p>{t('noOrders.body')}</p>
      <p>{t('noOrders.hint')}</p>
    </ScreenLayout>
  );
}
