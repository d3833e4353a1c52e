export const SYSTEM_STATION_CONFIG: string;
export const DEMO_ASKED: 'KIOSK_DEMO';

export interface GuardOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
  readonly exists?: (path: string) => boolean;
  readonly systemConfig?: string;
}

export function demoRefusal(options: GuardOptions & { readonly packaged: boolean }): string | null;

export type EntryChoice =
  | { readonly kind: 'station'; readonly configFile: string }
  | { readonly kind: 'demo'; readonly configFile: string }
  | { readonly kind: 'refused'; readonly configFile: string; readonly reason: string };

export function chooseEntry(options: GuardOptions): EntryChoice;
