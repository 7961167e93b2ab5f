import { contextBridge, ipcRenderer } from 'electron';
import { createBridgeApi } from './bridge-api.js';

// Bundled to a single CommonJS file: a sandboxed preload can require nothing but 'electron'.
contextBridge.exposeInMainWorld('s5sync', createBridgeApi(ipcRenderer));
