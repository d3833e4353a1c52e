import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function PinLocked({ minutesLeft }: { readonly minutesLeft: number }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="pinLocked"
      title={t('pinLocked.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'EXIT_MAINTENANCE' })}>
          {t('common.stop')}
        </Button>
      }
    >
      <p>{t('pinLocked.body', { count: minutesLeft })}</p>
    </ScreenLayout>
  );
}
