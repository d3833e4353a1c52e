// Types of what eslint.config.js exports besides the config (test/architecture.test.ts reads them).
import type { Linter } from 'eslint';

export interface Layer {
  readonly folders: readonly string[] | '*';
  readonly typeOnly?: readonly string[];
  readonly packages: readonly string[] | '*';
}
export declare const LAYERS: Readonly<Record<string, Layer>>;
export declare const FOLDERS: readonly string[];
declare const config: Linter.Config[];
export default config;
