// A throwaway fleet PKI for the TLS tests, made with openssl in a temporary directory: the
// fleet CA, the back office's server certificate (for 127.0.0.1), a client certificate per
// kiosk (CN = kiosk id), and an impostor: a CA nobody pinned with its own server certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly cert: string;
  readonly key: string;
}
export interface TestPki {
  readonly ca: string;
  readonly server: Pem;
  kiosk(id: string): Pem;
  /** A server certificate for 127.0.0.1 from another CA (a man in the middle). */
  readonly impostor: Pem & { readonly ca: string };
  remove(): void;
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string, cn: string) => ssl('req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${cn}`);
  const issue = (ca: string, name: string, cn: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    return { cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
  };
  const serverExt = 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n';
  makeCa('ca', 'Test fleet CA');
  makeCa('rogue', 'Someone else');
  const server = issue('ca', 'server', 'backoffice', serverExt);
  const impostor = { ...issue('rogue', 'impostor', 'backoffice', serverExt), ca: readFileSync(join(dir, 'rogue.pem'), 'utf8') };
  const kiosks = new Map<string, Pem>();
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    server,
    impostor,
    kiosk(id) {
      let pem = kiosks.get(id);
      if (!pem) {
        pem = issue('ca', `kiosk-${id}`, id, 'extendedKeyUsage=clientAuth\n');
        kiosks.set(id, pem);
      }
      return pem;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
