// A station that cannot start does not exit and does not become a demo: it starts OUT OF
// SERVICE. The screen says this machine cannot help now (the technician's line under it
// names the fault, the file and what is wrong), GET /health is red (503) with the fault's
// code as `reason`, and the start is tried again every `recheckMs`: once the configuration
// is fixed, or the database can be used again, the kiosk starts by itself and takes over
// the same screen. Without a configuration there is no technician list and no PIN (so no
// maintenance, demo PIN or otherwise): /health and that line are how a technician sees why.
import { join } from 'node:path';
import { delayFor } from '../machine/delays.js';
import { DEFAULT_LANGUAGE, NO_ASSIST, sameFault, type Assist, type Fault, type Language } from '../domain/index.js';
import { StoreCorruptError, StoreFaultError, StoreTooNewError, storeFaultOf } from '../store/index.js';
import packageJson from '../package.json' with { type: 'json' };
import { configFileOf, createKioskLog, type HostedKiosk, type StartOptions } from './compose.js';
import { parseUiEvent, type HealthReport, type KioskView } from './contract.js';
import { DEFAULT_SERVICE_KEY } from './kiosk.js';
import type { KioskService, UiEventResult } from './service-types.js';
import { StationConfigError, startStation } from './station.js';
import { DEFAULT_RECHECK_MS } from './store-watch.js';
import { startHealthServer } from './web-host.js';

/** What kept the kiosk from starting, as the technician sees it (never a secret). */
export function faultOf(error: unknown, options: Pick<StartOptions, 'dataDir' | 'configFile'>): Fault {
  if (error instanceof StationConfigError) return error.fault;
  const store = storeFaultOf(error);
  if (store) {
    const named = error instanceof StoreCorruptError || error instanceof StoreTooNewError || error instanceof StoreFaultError ? error.file : undefined;
    return { code: store.code, file: named ?? join(options.dataDir, 'kiosk.db'), detail: store.detail };
  }
  return { code: 'startFailed', file: null, detail: { kind: 'unexpected' } };
}

/** What went wrong in words, for the log only (the screen words the fault from the catalogs). */
function saidOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}

/** The whole kiosk while it cannot start: one out-of-service screen; only the language and the assist options change. */
export function createFaultService(initial: Fault): KioskService & { setFault(fault: Fault): void; fault(): Fault } {
  let fault = initial;
  let language: Language = DEFAULT_LANGUAGE;
  let assist: Assist = NO_ASSIST;
  const listeners = new Set<(view: KioskView) => void>();
  const view = (): KioskView => ({
    language,
    assist,
    timing: { warningSeconds: delayFor('inactivityWarning', NO_ASSIST) / 1000, resetSeconds: delayFor('inactivityReset', NO_ASSIST) / 1000 },
    screen: { name: 'outOfService', reason: 'fault', serviceReason: null, fault },
    inactivityWarning: false,
    demo: false,
    serviceKey: DEFAULT_SERVICE_KEY,
  });
  const publish = () => {
    const current = view();
    for (const listener of [...listeners]) listener(current);
  };
  return {
    view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receiveUiEvent(raw): UiEventResult {
      const parsed = parseUiEvent(raw);
      if (!parsed.ok) return parsed;
      if (parsed.value.type === 'SET_LANGUAGE') {
        language = parsed.value.language;
        publish();
        return parsed;
      }
      if (parsed.value.type === 'SET_ASSIST') {
        assist = { ...assist, [parsed.value.option]: parsed.value.on };
        publish();
        return parsed;
      }
      if (parsed.value.type === 'ACTIVITY') return parsed;
      return { ok: false, error: `${parsed.value.type} is not taken: the kiosk is out of service (${fault.code})`, notTaken: true };
    },
    setFault(next) {
      fault = next;
      publish();
    },
    fault: () => fault,
    async stop() {
      listeners.clear();
    },
  };
}

/** One service for the hosts that is first the fault screen and then the kiosk that started. */
function switchable(first: KioskService) {
  let current = first;
  const listeners = new Set<(view: KioskView) => void>();
  const fanOut = (view: KioskView) => {
    for (const listener of [...listeners]) listener(view);
  };
  let detach = current.subscribe(fanOut);
  const service: KioskService = {
    view: () => current.view(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receiveUiEvent: (raw) => current.receiveUiEvent(raw),
    stop: () => current.stop(),
  };
  return {
    service,
    switchTo(next: KioskService) {
      detach();
      current = next;
      detach = next.subscribe(fanOut);
      fanOut(next.view());
    },
  };
}

export interface FailClosedOptions extends StartOptions {
  /** How often the start is tried again while it fails. */
  readonly recheckMs?: number;
}

/** `start`, or, when it fails, the out-of-service kiosk above until it succeeds. */
export async function startFailClosed(start: (options: StartOptions) => Promise<HostedKiosk>, options: FailClosedOptions): Promise<HostedKiosk> {
  const { recheckMs = DEFAULT_RECHECK_MS, ...startOptions } = options;
  let firstError: unknown;
  try {
    return await start(startOptions);
  } catch (error) {
    firstError = error;
  }
  const log = options.log ?? createKioskLog().log;
  const faultScreen = createFaultService(faultOf(firstError, options));
  const logFault = (fault: Fault, error: unknown, what: string) =>
    log.error({ fault: fault.code, file: fault.file, detail: fault.detail, err: saidOf(error), configFile: configFileOf(options), recheckMs }, what);
  logFault(faultScreen.fault(), firstError, 'the kiosk could not start: out of service until the fault is gone');
  const hosted = switchable(faultScreen);
  const startedAtMs = Date.now();
  let running: HostedKiosk | null = null;
  let trying = false;
  let stopped = false;
  const faultHealth = (): HealthReport => ({
    overall: 'red',
    fault: faultScreen.fault(),
    app: { version: packageJson.version, uptimeSeconds: Math.round((Date.now() - startedAtMs) / 1000) },
  });
  // The Electron host has no web host: its /health is on KIOSK_HEALTH_PORT, which the kiosk
  // that starts takes over (so it is let go for each try, and taken again if the try fails).
  const healthPort = process.env.KIOSK_HEALTH_PORT ? Number(process.env.KIOSK_HEALTH_PORT) : null;
  let healthServer: { close(): Promise<void> } | null = null;
  const openHealth = async () => {
    if (healthPort === null || healthServer || stopped) return;
    try {
      healthServer = await startHealthServer({ health: faultHealth, screen: () => 'outOfService', log, port: healthPort });
    } catch (error) {
      log.warn({ err: String(error), port: healthPort }, 'the health endpoint could not be served');
    }
  };
  const closeHealth = async () => {
    const server = healthServer;
    healthServer = null;
    await server?.close();
  };
  const retry = async () => {
    if (trying || running || stopped) return;
    trying = true;
    await closeHealth();
    try {
      const started = await start(startOptions);
      if (stopped) {
        await started.stop();
        return;
      }
      running = started;
      clearInterval(timer);
      hosted.switchTo(started.service);
      log.info({ was: faultScreen.fault().code }, 'the fault is gone: the kiosk started');
    } catch (error) {
      const fault = faultOf(error, options);
      const was = faultScreen.fault();
      if (!sameFault(fault, was)) {
        faultScreen.setFault(fault);
        logFault(fault, error, 'the kiosk still cannot start');
      }
      await openHealth();
    } finally {
      trying = false;
    }
  };
  const timer = setInterval(() => void retry(), recheckMs);
  timer.unref();
  await openHealth();

  return {
    service: hosted.service,
    health: () => (running ? running.health() : faultHealth()),
    get config() {
      return running?.config ?? { demo: false, stationName: '' };
    },
    get log() {
      return running?.log ?? log;
    },
    devChannel: undefined,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await closeHealth();
      await running?.stop();
    },
  };
}

/** A station, fail closed: what kiosk/main.ts (and electron/main.ts) run. */
export function startStationFailClosed(options: FailClosedOptions): Promise<HostedKiosk> {
  return startFailClosed(startStation, options);
}
