import type { CardView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { CardPanel } from '../components/CardPanel.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function Menu({ card, waiting }: { readonly card: CardView; readonly waiting?: number | undefined }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="menu"
      title={t('menu.title')}
      actions={
        <>
          <Button onClick={() => send({ type: 'PICKUP' })}>{t('menu.pickup')}</Button>
          <Button onClick={() => send({ type: 'JOURNEYS' })}>{t('menu.journeys')}</Button>
          <Button variant="secondary" onClick={() => send({ type: 'STOP' })} back>
            {t('common.stop')}
          </Button>
        </>
      }
    >
      <CardPanel card={card} />
      {waiting !== undefined && (
        <p className="menu-waiting emphasis" data-testid="menu-waiting">
          {waiting === 0 ? t('menu.waitingNone') : t('menu.waiting', { count: waiting })}
        </p>
      )}
    </ScreenLayout>
  );
}
