// Sandboxed preload: bundled to dist/electron/preload.cjs with 'electron' external.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge.js';

contextBridge.exposeInMainWorld('kiosk', createPreloadBridge(ipcRenderer));
