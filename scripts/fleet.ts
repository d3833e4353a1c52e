// `npm run fleet -- --kiosks 3`: a local fleet for developers — one embedded back office and
// N demo kiosks (simulated readers) in this process, each on its own web host on 127.0.0.1
// with its own developer dock and data directory, all sharing one demo wallet. Writes
// fleet.json for `npm run card -- --kiosk N tap anna` (demo/fleet-control.ts). Ctrl+C
// stops everything. Run through scripts/run-ts.mjs (cwd: the project root).
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_FLEET_KIOSKS, startFleet } from '../demo/fleet.js';
import { defaultFleetDir, FLEET_FILE } from '../demo/fleet-control.js';
import { serveFleet } from '../demo/fleet-host.js';

const USAGE = `usage: npm run fleet -- [--kiosks 3] [--dir <fleet dir>] [--port 8081] [--backoffice-port <port>] [--no-build]
  --kiosks n            how many kiosks (1 to ${MAX_FLEET_KIOSKS}; default 3)
  --dir d               the fleet directory (default $KIOSK_DATA_DIR/fleet, i.e. ${defaultFleetDir()})
  --port p              kiosk n is served on p + n - 1 (default 8081; 0: free ports)
  --backoffice-port p   the back office's port (default $BACKOFFICE_PORT, else a free one)
  --no-build            do not rebuild the renderer first
`;

const port = z.coerce.number().int().min(0).max(65_535);
const argsSchema = z
  .object({
    kiosks: z.coerce.number().int().min(1).max(MAX_FLEET_KIOSKS).default(3),
    dir: z.string().min(1).optional(),
    port: port.default(8081),
    'backoffice-port': port.optional(),
    'no-build': z.boolean().default(false),
    help: z.boolean().default(false),
  })
  .strict();

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      options: {
        kiosks: { type: 'string' },
        dir: { type: 'string' },
        port: { type: 'string' },
        'backoffice-port': { type: 'string' },
        'no-build': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) fail(z.prettifyError(parsed.error));
  const args = parsed.data;
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const root = process.cwd();
  const dir = resolve(args.dir ?? defaultFleetDir());
  mkdirSync(dir, { recursive: true });

  const rendererDir = join(root, 'dist', 'renderer');
  if (!args['no-build']) {
    process.stdout.write('[fleet] building the renderer...\n');
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }

  const fleet = await startFleet({
    kiosks: args.kiosks,
    dir,
    ...(args['backoffice-port'] !== undefined ? { backOfficePort: args['backoffice-port'] } : {}),
  });
  let served: Awaited<ReturnType<typeof serveFleet>>;
  try {
    served = await serveFleet(fleet, { rendererDir, basePort: args.port });
  } catch (error) {
    await fleet.stop();
    throw error;
  }

  const lines = [
    '',
    `Local fleet in ${dir} (shared wallet: demo-cards.json, control file: ${FLEET_FILE})`,
    `  back office  ${fleet.backOffice.url}   (orders: KIOSK_DATA_DIR=${dir} npm run order -- ...)`,
    ...fleet.kiosks.map((k, i) => `  kiosk ${k.n}      ${served.urls[i] ?? '?'}   (${k.id}, data ${k.dataDir})`),
    '',
    `Tap a card: the dock on a kiosk's page, or npm run card -- --kiosk 1 tap anna   (remove, tear <n>, list)`,
    'Ctrl+C stops the fleet.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n[fleet] ${signal}: stopping ${fleet.kiosks.length} kiosks and the back office...\n`);
    try {
      await served.close();
      await fleet.stop();
      process.stdout.write('[fleet] stopped\n');
      process.exit(0);
    } catch (error) {
      process.stderr.write(`[fleet] did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The fleet could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
