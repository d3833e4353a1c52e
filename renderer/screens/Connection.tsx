import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** Before the first view, and while the carrier is reconnecting. */
export function Connection({ lost }: { readonly lost: boolean }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout
      name={lost ? 'connectionLost' : 'connecting'}
      title={lost ? t('connection.lostTitle') : t('connection.connectingTitle')}
      live
    >
      <div className="spinner" aria-hidden="true" />
      <p>{lost ? t('connection.lostBody') : t('connection.connectingBody')}</p>
    </ScreenLayout>
  );
}
