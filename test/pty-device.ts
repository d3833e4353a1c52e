// A device file for the USB/serial printer adapter's tests: a pseudo-terminal made by
// python3 (pty.openpty), its slave set raw (`stty raw -echo`, as a station's udev rule sets
// its serial port) and held open, its master relayed byte for byte to a TCP printer (the
// virtual printer); or `mute`, read and never answered; or `statusOnly`, answering DLE EOT
// n as a ready printer and nothing else (a receipt never finishes). Killing it makes the device vanish
// (the kernel removes /dev/pts/N; the kiosk's descriptor is hung up).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const RELAY = String.raw`
import os, pty, select, socket, sys, tty
master, slave = pty.openpty()
tty.setraw(slave)
mode = sys.argv[1]
printer = socket.create_connection((sys.argv[2], int(sys.argv[3]))) if mode == 'relay' else None
if printer:
    printer.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
print(os.ttyname(slave), flush=True)
while True:
    ready, _, _ = select.select([master] + ([printer] if printer else []), [], [])
    if master in ready:
        data = os.read(master, 65536)
        if printer:
            printer.sendall(data)
        elif mode == 'statusOnly':
            os.write(master, b'\x12' * data.count(b'\x10\x04'))
    if printer in ready:
        data = printer.recv(65536)
        if not data:
            break
        os.write(master, data)
`;

export interface PtyDevice {
  /** The device file (/dev/pts/N). */
  readonly path: string;
  /** Kills the relay: the device goes away as a USB printer that is unplugged. */
  vanish(): Promise<void>;
}

/** A pseudo-terminal relayed to the printer at host:port, one that never answers (`mute`), or one that answers only status questions. */
export async function startPtyDevice(to: { readonly host: string; readonly port: number } | 'mute' | 'statusOnly'): Promise<PtyDevice> {
  const args = typeof to === 'string' ? [to] : ['relay', to.host, String(to.port)];
  const child: ChildProcess = spawn('python3', ['-c', RELAY, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const path = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the pty relay exited (${code}) before it named its device`)));
  });
  return {
    path,
    async vanish() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
