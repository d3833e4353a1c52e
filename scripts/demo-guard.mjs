// Demo mode only when asked for, never on a station (issue 12). The one decision both the
// launcher (`npm start`, scripts/start.mjs) and the demo's own entries (demo/main.ts,
// demo/electron-main.ts) make: a station configuration anywhere a station keeps one, a
// station's service (NODE_ENV=production), or a packaged build means this is a station,
// and the demo refuses to start, saying why. Plain Node: the launcher runs it unbuilt.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a station installed by deploy/ keeps its configuration (deploy/README.md). */
export const SYSTEM_STATION_CONFIG = '/etc/station-kiosk/station.json';

/** Set by `npm start` when it chooses the demo; anyone else starting the demo's entry sets it by hand. */
export const DEMO_ASKED = 'KIOSK_DEMO';

/** Why the demo must not start here, or null when it may. */
export function demoRefusal({ env, dataDir, packaged, exists = existsSync, systemConfig = SYSTEM_STATION_CONFIG }) {
  if (packaged) return 'this is a packaged build, and a packaged build runs only the station kiosk';
  if (env.KIOSK_CONFIG) return `KIOSK_CONFIG is set (${env.KIOSK_CONFIG}): it names a station configuration, and a station never runs the demo`;
  const own = join(dataDir, 'station.json');
  if (exists(own)) return `a station configuration exists (${own}): this data directory belongs to a station`;
  if (exists(systemConfig)) return `a station configuration exists (${systemConfig}): this machine is a station`;
  if (env.NODE_ENV === 'production') return "NODE_ENV is production (a station's service runs so)";
  if (env[DEMO_ASKED] !== '1') {
    return `the demo starts only when asked for: run \`npm start\` without a station configuration, or set ${DEMO_ASKED}=1`;
  }
  return null;
}

/**
 * What `npm start` runs: the station's entry when a configuration is named ($KIOSK_CONFIG,
 * even if that file is missing: the station then starts out of service and says so) or
 * lies in the data directory; otherwise the demo, unless this machine is a station.
 */
export function chooseEntry({ env, dataDir, exists = existsSync, systemConfig = SYSTEM_STATION_CONFIG }) {
  const configFile = env.KIOSK_CONFIG || join(dataDir, 'station.json');
  if (env.KIOSK_CONFIG || exists(configFile)) return { kind: 'station', configFile };
  const reason = demoRefusal({ env: { ...env, [DEMO_ASKED]: '1' }, dataDir, packaged: false, exists, systemConfig });
  return reason ? { kind: 'refused', configFile, reason } : { kind: 'demo', configFile };
}
