// Types of scripts/build.mjs for the TypeScript that imports it (test/architecture.test.ts).
import type { BuildResult } from 'esbuild';

export declare const BUNDLES: Readonly<Record<string, { entry: string; outfile: string; format: 'esm' | 'cjs' }>>;
export declare function bundle(name: string, options?: { write?: boolean }): Promise<BuildResult<{ metafile: true }>>;
export declare function buildAll(options?: { quiet?: boolean }): Promise<void>;
export declare function buildIfChanged(options?: { quiet?: boolean }): Promise<boolean>;
