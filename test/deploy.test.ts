// The systemd units in deploy/: systemd itself reads them (systemd-analyze verify), and the
// health probe restarts what does not answer and leaves alone what does (even a red 503).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const DEPLOY = join(import.meta.dirname, '..', 'deploy');
const PROBE = join(DEPLOY, 'health-probe.sh');
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe.skipIf(!existsSync('/usr/bin/systemd-analyze'))('the systemd units', () => {
  it('systemd reads every unit without complaint (only the install path is missing here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'units-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const units = readdirSync(DEPLOY).filter((name) => /\.(service|timer)$/.test(name));
    for (const unit of units) copyFileSync(join(DEPLOY, unit), join(dir, unit));
    const names = units.map((unit) => unit.replace('@.', '@kiosk.'));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...names], { cwd: dir, encoding: 'utf8' });
    const complaints = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => line.trim() && !/Command \/opt\/station-kiosk\/\S+ is not executable/.test(line));
    expect(complaints).toEqual([]);
  });

  it('both services restart on failure and are hardened', () => {
    for (const unit of ['station-kiosk.service', 'station-backoffice.service']) {
      const text = readFileSync(join(DEPLOY, unit), 'utf8');
      for (const line of ['Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
        expect(text.split('\n'), `${unit}: ${line}`).toContain(line);
      }
    }
  });
});

/** Runs the probe (not spawnSync: the servers it asks live in this process's event loop). */
async function probe(url: string): Promise<{ status: number | null; acted: boolean; stderr: string }> {
  const marker = join(mkdtempSync(join(tmpdir(), 'probe-')), 'acted');
  const child = spawn('sh', [PROBE], {
    env: { ...process.env, PROBE_URL: url, PROBE_TIMEOUT: '1', PROBE_TRIES: '2', PROBE_ON_FAIL: `touch ${marker}` },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { status, acted: existsSync(marker), stderr };
}

const listen = (server: Server | ReturnType<typeof createTcpServer>) =>
  new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
    closers.push(() => server.close());
  });

describe.skipIf(!existsSync('/usr/bin/curl'))('the health probe', () => {
  it('a service that answers, even red (503), is left alone', async () => {
    const server = createServer((_request, response) => response.writeHead(503).end('{"overall":"red"}'));
    const port = await listen(server);
    expect(await probe(`http://127.0.0.1:${port}/health`)).toMatchObject({ status: 0, acted: false });
  });

  it('a service that accepts but never answers (a hung event loop) is restarted', async () => {
    const sockets: Socket[] = [];
    const server = createTcpServer((socket) => void sockets.push(socket));
    closers.push(() => sockets.forEach((s) => s.destroy()));
    const port = await listen(server);
    const result = await probe(`http://127.0.0.1:${port}/health`);
    expect(result).toMatchObject({ status: 1, acted: true });
    expect(result.stderr).toContain('gave no answer 2 times');
  });

  it('a service that is not listening is restarted', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    server.close();
    expect(await probe(`http://127.0.0.1:${port}/health`)).toMatchObject({ status: 1, acted: true });
  });
});
