// Waits until a kiosk shows one of the given screens (or fails, naming the screen it is on).
import type { KioskView, ScreenName } from '../kiosk/contract.js';
import type { KioskService } from '../kiosk/service-types.js';

export function waitForScreen(
  kiosk: Pick<KioskService, 'view' | 'subscribe'>,
  screen: ScreenName | readonly ScreenName[],
  timeoutMs: number,
): Promise<KioskView> {
  return new Promise<KioskView>((resolve, reject) => {
    const wanted: readonly ScreenName[] = typeof screen === 'string' ? [screen] : screen;
    const current = kiosk.view();
    if (wanted.includes(current.screen.name)) return resolve(current);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`expected screen ${wanted.join(' or ')}, still on ${kiosk.view().screen.name}`));
    }, timeoutMs);
    const unsubscribe = kiosk.subscribe((view) => {
      if (!wanted.includes(view.screen.name)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(view);
    });
  });
}
