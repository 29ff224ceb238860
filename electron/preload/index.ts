// The preload: hands Electron's contextBridge and ipcRenderer to the bridge, which exposes the one global.
import { contextBridge, ipcRenderer } from "electron";
import { exposeBridge } from "./bridge";

exposeBridge(contextBridge, ipcRenderer);
