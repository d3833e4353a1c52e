// Sandboxed preload: bundled to dist/electron/preload.cjs with 'electron' external.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge, createPreloadDevBridge } from './bridge.js';

contextBridge.exposeInMainWorld('kiosk', createPreloadBridge(ipcRenderer));
// The developer dock's channel: the renderer opens it only in the demo (view.demo), and
// main answers it only when the kiosk has a dev channel.
contextBridge.exposeInMainWorld('kioskDev', createPreloadDevBridge(ipcRenderer));
