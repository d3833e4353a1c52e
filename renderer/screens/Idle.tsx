import type { ReaderPosition } from '../../domain/index.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** The reader drawn where it is on this cabinet, an arrow pointing to it, and said in words. */
export function Idle({ readerPosition = 'below-screen' }: { readonly readerPosition?: ReaderPosition | undefined }) {
  const { t } = useKiosk();
  return (
    <ScreenLayout name="idle" title={t('idle.title')}>
      <div className={`reader-where reader-where--${readerPosition}`} data-reader-position={readerPosition}>
        <p className="reader-where-text emphasis">{t(`idle.readerWhere.${readerPosition}`)}</p>
        <div className="reader-where-picture" aria-hidden="true">
          <div className="reader-arrow" />
          <div className="reader-hint" />
        </div>
      </div>
      <p>{t('idle.body')}</p>
    </ScreenLayout>
  );
}
