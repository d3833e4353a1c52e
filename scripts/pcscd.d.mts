// Types of scripts/pcscd.mjs for the TypeScript tests and scripts that use it.
export declare const PCSC_PACKAGES: readonly string[];
export declare const PCSCD_SOCKET: string;
export interface PcscdHandle {
  readonly started: boolean;
  readonly pid: number | null;
  readonly shim: string | null;
  stop(): Promise<void>;
}
export declare function pcscdAnswers(path?: string): Promise<boolean>;
export declare function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void>;
export declare function buildNodelayShim(): string;
export declare function ensurePcscd(options?: { shim?: boolean; debug?: boolean }): Promise<PcscdHandle>;
export declare function stopPcscd(pid: number | null, signal?: NodeJS.Signals): Promise<void>;
