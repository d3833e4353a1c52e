import type { FuseV1Config } from '@electron/fuses';

export interface AfterPackContext {
  readonly appOutDir: string;
  readonly electronPlatformName: string;
  readonly packager: { readonly appInfo: { readonly productFilename: string }; readonly executableName?: string };
}

export const KIOSK_FUSES: FuseV1Config;
export function packagedBinary(context: AfterPackContext): string;
export default function afterPack(
  context: AfterPackContext,
  flip?: (binary: string, config: FuseV1Config) => Promise<unknown>,
): Promise<void>;
