// Serves each kiosk of a local fleet on a web host of its own on 127.0.0.1 (its screen and
// its developer dock, /ws and /dev) and writes the fleet's control file (fleet.json,
// demo/fleet-control.ts) once every kiosk is reachable. `close()` removes the file first.
import { startWebHost, type WebHost } from '../kiosk/web-host.js';
import type { Fleet } from './fleet.js';
import { removeFleetFile, writeFleetFile, type FleetFile } from './fleet-control.js';

export interface ServedFleet {
  /** Kiosk n's page is `urls[n - 1]`. */
  readonly urls: readonly string[];
  readonly file: FleetFile;
  close(): Promise<void>;
}

function inUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

export async function serveFleet(
  fleet: Fleet,
  options: {
    readonly rendererDir: string;
    /** Kiosk n on basePort + n - 1 (a taken port: a free one instead, logged); 0: free ports. */
    readonly basePort: number;
  },
): Promise<ServedFleet> {
  const hosts: WebHost[] = [];
  const closeHosts = async () => {
    for (const host of hosts.splice(0).reverse()) await host.close();
  };
  try {
    for (const kiosk of fleet.kiosks) {
      const wanted = options.basePort === 0 ? 0 : options.basePort + kiosk.n - 1;
      const start = (port: number) =>
        startWebHost({
          service: kiosk.running.service,
          log: kiosk.running.log,
          rendererDir: options.rendererDir,
          port,
          health: kiosk.running.service.maintenance.status,
          devChannel: kiosk.running.devChannel,
        });
      let host: WebHost;
      try {
        host = await start(wanted);
      } catch (error) {
        if (!inUse(error) || wanted === 0) throw error;
        kiosk.running.log.warn({ port: wanted }, 'fleet: port in use, serving this kiosk on a free port instead');
        host = await start(0);
      }
      hosts.push(host);
    }
    const urls = hosts.map((h) => h.url);
    const file: FleetFile = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      backOffice: { url: fleet.backOffice.url },
      kiosks: fleet.kiosks.map((k, i) => ({ n: k.n, id: k.id, name: k.name, url: urls[i] ?? '', dataDir: k.dataDir })),
    };
    writeFleetFile(fleet.dir, file);
    return {
      urls,
      file,
      async close() {
        removeFleetFile(fleet.dir);
        await closeHosts();
      },
    };
  } catch (error) {
    await closeHosts();
    throw error;
  }
}
