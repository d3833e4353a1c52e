// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the
// packaged binary before it is put in the AppImage and the deb, so a station's binary cannot
// be turned into a plain Node (ELECTRON_RUN_AS_NODE), told what to run (NODE_OPTIONS,
// --inspect) or given an app other than its own app.asar. Fuses are bits in the binary
// itself: flipping them at packaging is the only way, and they cannot be flipped back at
// run time. https://www.electronjs.org/docs/latest/tutorial/fuses
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/** Every fuse set explicitly (strictlyRequireAllFuses): a new Electron fuse fails packaging until decided here. */
export const KIOSK_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Checked where Electron supports it (macOS, Windows); electron-builder writes the hash.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer comes from app:// (electron/app-protocol.ts): file:// needs nothing extra.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The packaged Electron binary in `appOutDir`, by platform (electron-builder's names). */
export function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'linux':
      return join(appOutDir, packager.executableName ?? product);
    case 'win32':
      return join(appOutDir, `${product}.exe`);
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${product}.app`);
    default:
      throw new Error(`no Electron binary known for platform ${electronPlatformName}`);
  }
}

/** The hook itself; `flip` is @electron/fuses' flipFuses unless a test passes its own. */
export default async function afterPack(context, flip = flipFuses) {
  const binary = packagedBinary(context);
  await flip(binary, { ...KIOSK_FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
  console.info(`electron fuses set in ${binary}`);
}
