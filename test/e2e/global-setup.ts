// Before the end-to-end run: Debian's Chromium, and for the Chromium kiosk shell's real
// window an X server, a window manager and the tools that drive and photograph it
// (installed when running as root, else the command to run is printed), then a build of the
// renderer the web host serves (again only when a source changed since the last one).
export default async function setup(): Promise<void> {
  const deps = (await import('../../scripts/ensure-deps.mjs' as string)) as { ensureDebianPackages(packages: string[]): void };
  deps.ensureDebianPackages(['chromium', 'xvfb', 'openbox', 'wmctrl', 'xdotool', 'imagemagick']);
  const build = (await import('../../scripts/build.mjs' as string)) as { buildIfChanged(options: { quiet: boolean }): Promise<boolean> };
  await build.buildIfChanged({ quiet: true });
}
