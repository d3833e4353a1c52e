// Injected into the CommonJS bundles by scripts/build.mjs (Electron's main and preload):
// import.meta.url as an ES module would see it, the bundle's own file URL. Code bundled both
// ways (hardware/pcsc/pcsc-reader.ts) may then ask import.meta.url in either.
import { pathToFileURL } from 'node:url';

declare const __filename: string;

export const __bundleFileUrl = pathToFileURL(__filename).href;
