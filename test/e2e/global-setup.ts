// Before the end-to-end run: Debian's Chromium, and for the Chromium kiosk shell's real
// window an X server, a window manager and the tools that drive and photograph it
// (installed when running as root, else the command to run is printed), then a fresh build
// of the renderer the web host serves.
export default async function setup(): Promise<void> {
  const deps = (await import('../../scripts/ensure-deps.mjs' as string)) as { ensureDebianPackages(packages: string[]): void };
  deps.ensureDebianPackages(['chromium', 'xvfb', 'openbox', 'wmctrl', 'xdotool', 'imagemagick']);
  const build = (await import('../../scripts/build.mjs' as string)) as { buildAll(options: { quiet: boolean }): Promise<void> };
  await build.buildAll({ quiet: true });
}
