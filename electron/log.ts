// The main process's logger, narrowed to what electron/ uses. Details first, message
// second, as pino does, so a pino logger can be passed in where one is available.
export interface ElectronLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
