// Types of scripts/build-stamp.mjs for the TypeScript that imports it.
export declare const BUILD_INPUTS: readonly string[];
export declare const BUILD_OUTPUTS: readonly string[];
export declare function sourcesStamp(root: string): string;
export declare function buildIsCurrent(root: string, stamp?: string): boolean;
export declare function writeStamp(root: string, stamp: string): void;
