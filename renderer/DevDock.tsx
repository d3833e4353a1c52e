// The developer dock: drives the simulated reader in demo mode. Its views and commands
// travel on a channel of their own (dev-transport.ts), not the kiosk's; App renders it only
// while that channel sends a dock view, which only the demo does.
import { useId, useState } from 'react';
import type { DevCommand, DevDockView } from '../demo/dev-contract.js';
import { PRINTER_CONDITIONS, type PrinterCondition } from '../domain/index.js';
import { useKiosk } from './kiosk-context.js';

/** Block writes a delivery may do before the tear; 0 tears before the first one. */
export const TEAR_CHOICES: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

export function DevDock({ view, send: dev }: { readonly view: DevDockView; readonly send: (command: DevCommand) => void }) {
  const { t } = useKiosk();
  const titleId = useId();
  const tearId = useId();
  const [afterWrites, setAfterWrites] = useState(0);
  const printerId = useId();
  const [condition, setCondition] = useState<PrinterCondition>(view.printer?.condition ?? 'ready');
  const present = view.presentCardId === null ? null : view.cards.find((card) => card.id === view.presentCardId);
  const presentLabel = present?.label ?? view.presentCardId;

  return (
    <aside className="dev-dock" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('dev.title')}</h2>
      <p className="dev-subtitle">{t('dev.subtitle')}</p>

      <section className="dev-section">
        <h3>{t('dev.cardsHeading')}</h3>
        <ul className="dev-cards">
          {view.cards.map((card) => (
            <li key={card.id}>
              <button
                type="button"
                className="dev-button"
                aria-pressed={card.id === view.presentCardId}
                onClick={() => dev({ type: 'dev.tap', cardId: card.id })}
              >
                {card.label}
              </button>
            </li>
          ))}
        </ul>
        <p className="dev-status" role="status">
          {presentLabel === null ? t('dev.noCard') : t('dev.present', { label: presentLabel })}
        </p>
        <button
          type="button"
          className="dev-button"
          disabled={view.presentCardId === null}
          onClick={() => dev({ type: 'dev.remove' })}
        >
          {t('dev.remove')}
        </button>
      </section>

      <section className="dev-section">
        <h3>{t('dev.tearHeading')}</h3>
        <label htmlFor={tearId}>{t('dev.tearLabel')}</label>
        <div className="dev-row">
          <select
            id={tearId}
            className="dev-select"
            value={afterWrites}
            onChange={(event) => setAfterWrites(Number(event.target.value))}
          >
            {TEAR_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <button type="button" className="dev-button" onClick={() => dev({ type: 'dev.tearNextWrite', afterWrites })}>
            {t('dev.tearArm')}
          </button>
        </div>
        <p className="dev-status" role="status">
          {view.tearAfterWrites === null ? t('dev.tearNone') : t('dev.tearArmed', { count: view.tearAfterWrites })}
        </p>
      </section>

      {view.printer && (
        <section className="dev-section">
          <h3>{t('dev.printerHeading')}</h3>
          <label htmlFor={printerId}>{t('dev.printerLabel')}</label>
          <div className="dev-row">
            <select
              id={printerId}
              className="dev-select"
              value={condition}
              onChange={(event) => setCondition(event.target.value as PrinterCondition)}
            >
              {PRINTER_CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`maintenance.printerCondition.${c}`)}
                </option>
              ))}
            </select>
            <button type="button" className="dev-button" onClick={() => dev({ type: 'dev.printer', condition })}>
              {t('dev.printerSet')}
            </button>
          </div>
          <p className="dev-status" role="status">
            {t(`maintenance.printerCondition.${view.printer.condition}`)}.{' '}
            {view.printer.receipts === 0 ? t('dev.receiptNone') : t('dev.receiptCount', { count: view.printer.receipts })}
          </p>
          {view.printer.lastReceipt && (
            <img className="dev-receipt" src={view.printer.lastReceipt} alt={t('dev.receiptAlt')} data-testid="dev-receipt" />
          )}
        </section>
      )}
    </aside>
  );
}
