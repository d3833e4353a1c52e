import type { ReadFailure } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

export function UnknownCard({ reason }: { readonly reason: ReadFailure }) {
  const { t, send } = useKiosk();
  return (
    <ScreenLayout
      name="unknownCard"
      title={t('unknownCard.title')}
      actions={
        <Button variant="secondary" onClick={() => send({ type: 'STOP' })} back>
          {t('common.stop')}
        </Button>
      }
    >
      <p>{t(`unknownCard.reasons.${reason}`)}</p>
    </ScreenLayout>
  );
}
