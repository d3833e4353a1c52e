import { useEffect, useState } from 'react';
import type { BackOfficeFailure, CardView, JourneyView } from '../../kiosk/contract.js';
import { Button } from '../components/Button.js';
import { JourneySummary } from '../components/JourneySummary.js';
import { ScreenLayout } from '../components/ScreenLayout.js';
import { useKiosk } from '../kiosk-context.js';

/** Journeys per page (each has up to five lines), so Terug and the pager stay above the fold. */
export const JOURNEYS_PER_PAGE = 3;
export const JOURNEYS_PER_PAGE_LARGE_TEXT = 2;

/**
 * Reizen en Geld Terug: the card's recent journeys, newest first, each with what it earns
 * back; a journey that can be claimed is a button. Offline (`unavailable`), the journeys
 * come from the card alone, with no claim.
 */
export function Journeys({
  journeys,
  unavailable,
}: {
  readonly card: CardView;
  readonly journeys: readonly JourneyView[];
  readonly unavailable: BackOfficeFailure | null;
}) {
  const { t, send, number, largeText } = useKiosk();
  const perPage = largeText ? JOURNEYS_PER_PAGE_LARGE_TEXT : JOURNEYS_PER_PAGE;
  const pages = Math.max(1, Math.ceil(journeys.length / perPage));
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (page >= pages) setPage(pages - 1);
  }, [page, pages]);
  const current = Math.min(page, pages - 1);
  const shown = journeys.slice(current * perPage, current * perPage + perPage);
  return (
    <ScreenLayout
      name="journeys"
      title={t('journeys.title')}
      actions={
        <>
          {pages > 1 && (
            <nav className="pager" aria-label={t('journeys.pager')}>
              <Button variant="secondary" disabled={current === 0} onClick={() => setPage(current - 1)}>
                {t('journeys.previous')}
              </Button>
              <p className="pager-position">{t('journeys.pages', { page: number(current + 1), pages: number(pages) })}</p>
              <Button variant="secondary" disabled={current === pages - 1} onClick={() => setPage(current + 1)}>
                {t('journeys.next')}
              </Button>
            </nav>
          )}
          <Button variant="secondary" onClick={() => send({ type: 'BACK' })} back>
            {t('common.back')}
          </Button>
        </>
      }
    >
      {journeys.length === 0 ? <p>{t('journeys.none')}</p> : unavailable === null && <p>{t('journeys.body')}</p>}
      <div role="status" className="journeys-status">
        {unavailable !== null && journeys.length > 0 && (
          <p className="notice" data-unavailable={unavailable}>
            {t('journeys.unavailable')}
          </p>
        )}
      </div>
      {shown.length > 0 && (
        <ul className="order-list journey-list">
          {shown.map((journey) => (
            <li key={journey.id} data-testid={`journey-${journey.id}`}>
              {journey.claimable ? (
                <button type="button" className="order-button" onClick={() => send({ type: 'SELECT_JOURNEY', journeyId: journey.id })}>
                  <JourneySummary journey={journey} />
                </button>
              ) : (
                <div className="order-item">
                  <JourneySummary journey={journey} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </ScreenLayout>
  );
}
