// A throwaway PostgreSQL cluster for tests and benchmarks (test/pg-cluster.ts gives one to a test file): `initdb` in a fresh temporary directory, the
// server on a free port on 127.0.0.1 (no Unix socket, fsync off: nothing here must survive),
// stopped and deleted afterwards. PostgreSQL refuses to run as root: as root, the cluster
// belongs to an unprivileged user `pgtest` (made when missing). Nothing needs to run
// beforehand; the server programs are looked for in $PG_BIN, /usr/local/bin, then
// /usr/lib/postgresql/<version>/bin, and Debian's `postgresql` is installed when none is
// there (as root; otherwise the command to run is said).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

const USER = 'pgtest';

function findBinDir(): string | undefined {
  const candidates = [process.env.PG_BIN, '/usr/local/bin'];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return candidates.find((dir) => dir !== undefined && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

/** scripts/ensure-deps.mjs has no type declarations: the one function used here. */
interface EnsureDeps {
  ensureDebianPackages(packages: readonly string[]): void;
}

/** The server programs' folder; Debian's `postgresql` installed first when missing (as root; else the command to run). */
async function binDir(): Promise<string> {
  let found = findBinDir();
  if (!found) {
    const { ensureDebianPackages } = (await import(new URL('../scripts/ensure-deps.mjs', import.meta.url).href)) as EnsureDeps;
    ensureDebianPackages(['postgresql']);
    found = findBinDir();
  }
  if (!found) throw new Error('PostgreSQL server programs (initdb, postgres) not found: install postgresql (Debian) or set PG_BIN');
  return found;
}

/** The uid/gid to run the server as: the current user's, or pgtest's when root. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PgCluster {
  /** The superuser's URL of database `postgres`. */
  readonly url: string;
  /** A new empty database; its URL. */
  newDatabase(): Promise<string>;
  /** A backup of the database at `databaseUrl` (pg_dump, custom format) written to `file`, as an operator takes one. */
  dump(databaseUrl: string, file: string): Promise<void>;
  /** A new database restored from a dump (pg_restore); its URL. */
  restore(file: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = await binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'bo-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    ...asUser,
    stdio: 'ignore',
    cwd: dir,
  });
  let server: ChildProcess | null = null;
  let port = 0;
  let output = '';
  for (let attempt = 0; attempt < 3 && server === null; attempt++) {
    port = await freePort();
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { ...asUser, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
    );
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.end();
        server = child;
        break;
      } catch {
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (server === null) child.kill('SIGKILL');
  }
  if (server === null) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the throwaway PostgreSQL did not start: ${output.slice(-2000)}`);
  }
  const running = server;
  // A test process that ends without stop() (a crash, a timeout) takes its server with it.
  const orphaned = () => {
    running.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', orphaned);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  const newDatabase = async (): Promise<string> => {
    const name = `t${process.pid}_${++databases}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };
  // The client programs beside the server's own (/usr/local/bin may link only the server's).
  const tools = dirname(realpathSync(join(bin, 'postgres')));
  const run = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(join(tools, program), args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} failed (${code}): ${errors.slice(-2000)}`))));
    });
  return {
    url,
    newDatabase,
    async dump(databaseUrl, file) {
      await run('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${databaseUrl}`]);
    },
    async restore(file) {
      const restored = await newDatabase();
      await run('pg_restore', ['--no-owner', `--dbname=${restored}`, file]);
      return restored;
    },
    async stop() {
      process.off('exit', orphaned);
      if (running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGINT'); // fast shutdown
        const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

