import type { CardView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function NoOrders(_props: { readonly card: CardView }) {
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
      <p>{t('noOrders.body')}</p>
      <p>{t('noOrders.hint')}</p>
    </ScreenLayout>
  );
}
