// The kiosk screen: a pure function of the latest KioskView. It keeps no state of the
// kiosk's own; it only remembers the last view and whether the carrier is connected.
import { useEffect, useMemo, useState } from 'react';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { DevDockView } from '../demo/dev-contract.js';
import type { KioskView, Screen } from '../kiosk/contract.js';
import { DEFAULT_LANGUAGE } from '../domain/index.js';
import { handleKeypad } from './a11y/keypad.js';
import { accessibleName, browserSpeaker, screenText, type Speaker } from './a11y/speech.js';
import { AssistBar } from './components/AssistBar.js';
import { InactivityOverlay } from './components/InactivityOverlay.js';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { DevDock } from './DevDock.js';
import { connectDevChannel, type DevChannelConnector, type DevConnection } from './dev-transport.js';
import { formatBytes, formatDate, formatDateTime, formatMoney, formatNumber, formatTime } from './format.js';
import { createKioskI18n } from './i18n/index.js';
import { KioskContext, useKiosk, type KioskContextValue } from './kiosk-context.js';
import { CardRemoved } from './screens/CardRemoved.js';
import { ChooseDestination } from './screens/ChooseDestination.js';
import { Claiming } from './screens/Claiming.js';
import { ClaimResult } from './screens/ClaimResult.js';
import { ConfirmClaim } from './screens/ConfirmClaim.js';
import { Journeys } from './screens/Journeys.js';
import { LoadingJourneys } from './screens/LoadingJourneys.js';
import { CheckingPin } from './screens/CheckingPin.js';
import { Confirm } from './screens/Confirm.js';
import { Connection } from './screens/Connection.js';
import { Delivered } from './screens/Delivered.js';
import { Delivering } from './screens/Delivering.js';
import { Failed } from './screens/Failed.js';
import { Idle } from './screens/Idle.js';
import { Interrupted } from './screens/Interrupted.js';
import { LoadingOrders } from './screens/LoadingOrders.js';
import { Maintenance } from './screens/Maintenance.js';
import { Menu } from './screens/Menu.js';
import { NoOrders } from './screens/NoOrders.js';
import { Orders } from './screens/Orders.js';
import { OutOfService } from './screens/OutOfService.js';
import { Pin } from './screens/Pin.js';
import { PinLocked } from './screens/PinLocked.js';
import { ReadingCard } from './screens/ReadingCard.js';
import { TakeCard } from './screens/TakeCard.js';
import { TechnicianCard } from './screens/TechnicianCard.js';
import { UnknownCard } from './screens/UnknownCard.js';
import { ScreenLayout } from './components/ScreenLayout.js';
import { matchesKeyCombo, parseKeyCombo } from './service-key.js';
import type { ConnectionStatus, RendererBridge } from './transport.js';

/** At most one ACTIVITY per this long: the machine only needs to know someone is there. */
export const ACTIVITY_THROTTLE_MS = 2_000;

/** The screens of maintenance mode: spoken guidance never reads them (a PIN must not be heard). */
const TECHNICIAN_SCREENS: ReadonlySet<Screen['name']> = new Set(['technicianCard', 'pin', 'checkingPin', 'pinLocked', 'maintenance']);

export interface AppProps {
  readonly bridge: RendererBridge;
  /** Tests pass their own instance; the kiosk uses one with every catalog bundled. */
  readonly i18n?: I18n;
  /** Clock for the ACTIVITY throttle. */
  readonly now?: () => number;
  /** Spoken guidance; by default the browser's speechSynthesis (none in jsdom). */
  readonly speaker?: Speaker | null;
  /** Opens the developer dock's channel while the view says `demo` (tests pass a fake). */
  readonly devChannel?: DevChannelConnector;
}

let sharedI18n: I18n | undefined;
function defaultI18n(): I18n {
  sharedI18n ??= createKioskI18n();
  return sharedI18n;
}

export function App({ bridge, i18n, now = Date.now, speaker, devChannel = connectDevChannel }: AppProps) {
  const instance = useMemo(() => i18n ?? defaultI18n(), [i18n]);
  const voice = useMemo(() => (speaker === undefined ? browserSpeaker() : speaker), [speaker]);
  return (
    <I18nextProvider i18n={instance}>
      <Kiosk bridge={bridge} now={now} speaker={voice} devChannel={devChannel} />
    </I18nextProvider>
  );
}

function ScreenView({ screen }: { readonly screen: Screen }) {
  const { t } = useKiosk();
  switch (screen.name) {
    case 'outOfService':
      return <OutOfService reason={screen.reason} serviceReason={screen.serviceReason} fault={screen.fault} />;
    case 'idle':
      return <Idle readerPosition={screen.readerPosition} />;
    case 'readingCard':
      return <ReadingCard />;
    case 'unknownCard':
      return <UnknownCard reason={screen.reason} />;
    case 'menu':
      return <Menu card={screen.card} waiting={screen.waiting} />;
    case 'loadingOrders':
      return <LoadingOrders card={screen.card} />;
    case 'orders':
      return (
        <Orders card={screen.card} orders={screen.orders} change={screen.change} collectAll={screen.collectAll} refundComing={screen.refundComing} />
      );
    case 'noOrders':
      return <NoOrders card={screen.card} change={screen.change} refundComing={screen.refundComing} />;
    case 'loadingJourneys':
      return <LoadingJourneys card={screen.card} />;
    case 'journeys':
      return <Journeys card={screen.card} journeys={screen.journeys} unavailable={screen.unavailable} />;
    case 'chooseDestination':
      return <ChooseDestination journey={screen.journey} destinations={screen.destinations} />;
    case 'confirmClaim':
      return <ConfirmClaim journey={screen.journey} kind={screen.kind} amountCents={screen.amountCents} destination={screen.destination} />;
    case 'claiming':
      return <Claiming journey={screen.journey} />;
    case 'claimResult':
      return (
        <ClaimResult
          journey={screen.journey}
          outcome={screen.outcome}
          failure={screen.failure}
          pickup={screen.pickup}
          refundReady={screen.refundReady}
        />
      );
    case 'confirm':
      return <Confirm card={screen.card} order={screen.order} also={screen.also} receipt={screen.receipt} />;
    case 'cardRemoved':
      return <CardRemoved />;
    case 'takeCard':
      return <TakeCard />;
    case 'delivering':
      return <Delivering order={screen.order} />;
    case 'delivered':
      return (
        <Delivered
          order={screen.order}
          outcome={screen.outcome}
          collected={screen.collected}
          cardGone={screen.cardGone}
          graceSeconds={screen.graceSeconds}
          moreOrders={screen.moreOrders}
          shownAgainHours={screen.shownAgainHours}
          receipt={screen.receipt}
        />
      );
    case 'interrupted':
      return (
        <Interrupted order={screen.order} differentCard={screen.differentCard} deadlineSeconds={screen.deadlineSeconds} />
      );
    case 'failed':
      return (
        <Failed reason={screen.reason} collected={screen.collected} retry={screen.retry} chooseAnother={screen.chooseAnother} />
      );
    case 'technicianCard':
      return <TechnicianCard />;
    case 'pin':
      return (
        // Keyed on the attempt: after a wrong PIN the entry starts empty again.
        <Pin
          key={`${screen.entry}:${String(screen.wrongPin)}:${String(screen.attemptsLeft)}`}
          entry={screen.entry}
          wrongPin={screen.wrongPin}
          attemptsLeft={screen.attemptsLeft}
        />
      );
    case 'checkingPin':
      return <CheckingPin />;
    case 'pinLocked':
      return <PinLocked minutesLeft={screen.minutesLeft} />;
    case 'maintenance':
      return <Maintenance maintenance={screen.maintenance} />;
    default: {
      // A service newer than this renderer: say the machine cannot help, never go blank.
      const _never: never = screen;
      return (
        <ScreenLayout name="unknown" title={t('outOfService.title')}>
          <p>{t('outOfService.fallback')}</p>
        </ScreenLayout>
      );
    }
  }
}

function Kiosk({
  bridge,
  now,
  speaker,
  devChannel,
}: {
  readonly bridge: RendererBridge;
  readonly now: () => number;
  readonly speaker: Speaker | null;
  readonly devChannel: DevChannelConnector;
}) {
  const { i18n } = useTranslation();
  const [view, setView] = useState<KioskView | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus>('open');

  useEffect(() => bridge.subscribe(setView), [bridge]);
  useEffect(() => bridge.subscribeConnection?.(setConnection), [bridge]);

  // Any touch or key press tells the machine someone is there. This sends an event; the
  // machine decides what it means.
  useEffect(() => {
    let lastSent = Number.NEGATIVE_INFINITY;
    const onActivity = () => {
      const time = now();
      if (time - lastSent < ACTIVITY_THROTTLE_MS) return;
      lastSent = time;
      bridge.send({ type: 'ACTIVITY' });
    };
    document.addEventListener('pointerdown', onActivity, { capture: true, passive: true });
    document.addEventListener('keydown', onActivity, { capture: true, passive: true });
    return () => {
      document.removeEventListener('pointerdown', onActivity, { capture: true });
      document.removeEventListener('keydown', onActivity, { capture: true });
    };
  }, [bridge, now]);

  const language = view?.language ?? DEFAULT_LANGUAGE;
  const largeText = view?.assist.largeText === true;
  const covered = view?.inactivityWarning === true;
  const context = useMemo<KioskContextValue>(
    () => ({
      language,
      t: i18n.getFixedT(language),
      money: (cents) => formatMoney(cents, language),
      date: (iso) => formatDate(iso, language),
      dateTime: (iso) => formatDateTime(iso, language),
      time: (iso) => formatTime(iso, language),
      number: (value) => formatNumber(value, language),
      bytes: (bytes) => formatBytes(bytes, language),
      send: (event) => bridge.send(event),
      largeText,
      covered,
    }),
    [bridge, i18n, language, largeText, covered],
  );
  const { t } = context;

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.name');
  }, [language, t]);

  // A stale view must not be operated: while the carrier is down only the notice shows.
  const live = view !== null && connection !== 'lost' ? view : null;
  const overlay = live?.inactivityWarning === true;

  // The developer dock: its own channel, open while a live view says demo. A station's
  // views never do; and a demo without a simulated reader answers with no dock view.
  const demo = live?.demo === true;
  const [dock, setDock] = useState<{ readonly view: DevDockView; readonly connection: DevConnection } | null>(null);
  useEffect(() => {
    if (!demo) return;
    const connection = devChannel();
    const unsubscribe = connection.subscribe((next) => setDock(next === null ? null : { view: next, connection }));
    return () => {
      unsubscribe();
      connection.close();
      setDock(null);
    };
  }, [demo, devChannel]);

  // The cabinet's key switch arrives as a key combination; what it means (open the PIN
  // screen, or nothing) is the machine's decision. Capture phase, so no control on the
  // page (the PIN keypad listens to keys too) sees the combination first.
  const serviceKey = live?.serviceKey ?? null;
  useEffect(() => {
    const combo = serviceKey === null ? null : parseKeyCombo(serviceKey);
    if (combo === null) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || !matchesKeyCombo(event, combo)) return;
      event.preventDefault();
      event.stopPropagation();
      bridge.send({ type: 'SERVICE_KEY' });
    };
    document.addEventListener('keydown', onKeyDown, { capture: true });
    return () => document.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [bridge, serviceKey]);

  // High contrast and large text: a class on the root, so rem sizes grow too.
  const highContrast = live?.assist.highContrast === true;
  useEffect(() => {
    document.documentElement.classList.toggle('high-contrast', highContrast);
  }, [highContrast]);
  const largeTextOn = live?.assist.largeText === true;
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeTextOn);
  }, [largeTextOn]);

  // The keypad: arrows move focus, OK presses, back takes the screen's way back.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (handleKeypad(event, document)) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // Spoken guidance, when the traveller switched it on: each screen (and the inactivity
  // question) is read when it appears, each control is named when it gets focus.
  // Never on a technician's screens: a PIN digit must not be heard.
  const speech = live?.assist.speech === true && speaker !== null && !TECHNICIAN_SCREENS.has(live.screen.name);
  const spokenScreen = live === null ? null : JSON.stringify([live.screen, live.inactivityWarning, language]);
  useEffect(() => {
    if (!speech || spokenScreen === null || speaker === null) return;
    const area = document.querySelector('[role="alertdialog"]') ?? document.querySelector('.kiosk-main [data-screen]');
    if (area) speaker.say(screenText(area, (choices) => t('assist.choices', { choices })), language);
  }, [speech, spokenScreen, speaker, language, t]);
  useEffect(() => {
    if (!speech || speaker === null) return;
    const onFocus = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && target.matches('button, select, input, a[href]')) {
        speaker.say(accessibleName(target), language);
      }
    };
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('focusin', onFocus);
      speaker.stop();
    };
  }, [speech, speaker, language]);

  return (
    <KioskContext.Provider value={context}>
      <div className={dock ? 'layout layout--with-dock' : 'layout'}>
        <div className="kiosk">
          <header className="kiosk-header">
            <span className="kiosk-name">{t('app.name')}</span>
            {live?.demo && (
              <span className="demo-badge" title={t('app.demoDescription')}>
                {t('app.demoBadge')}
              </span>
            )}
            {live && <AssistBar assist={live.assist} />}
            {live && <LanguageSwitch />}
          </header>
          <main className="kiosk-main" inert={overlay}>
            {connection === 'lost' ? (
              <Connection lost />
            ) : live ? (
              <ScreenView screen={live.screen} />
            ) : (
              <Connection lost={false} />
            )}
          </main>
          {overlay && <InactivityOverlay />}
        </div>
        {dock && <DevDock view={dock.view} send={(command) => dock.connection.send(command)} />}
      </div>
    </KioskContext.Provider>
  );
}
