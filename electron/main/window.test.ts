import type { BrowserWindowConstructorOptions } from "electron";
import { describe, expect, it } from "vitest";
import { createMainWindow, mainWindowOptions } from "./window";

describe("the application window", () => {
  it("is sandboxed and isolated, with no Node, no webviews and no middle-click windows", () => {
    expect(
      mainWindowOptions("/app/out/preload/index.cjs").webPreferences,
    ).toEqual({
      preload: "/app/out/preload/index.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: "Auxclick",
    });
  });

  it("loads the renderer's entry and shows itself only once it has drawn", () => {
    const made: TestWindow[] = [];
    class TestWindow {
      loaded: string[] = [];
      shown = false;
      private ready: (() => void) | null = null;
      constructor(readonly options: BrowserWindowConstructorOptions) {
        made.push(this);
      }
      once(_event: "ready-to-show", listener: () => void): void {
        this.ready = listener;
      }
      show(): void {
        this.shown = true;
      }
      loadURL(url: string): Promise<void> {
        this.loaded.push(url);
        return Promise.resolve();
      }
      draw(): void {
        this.ready?.();
      }
    }
    const window = createMainWindow(
      TestWindow,
      "/app/out/preload/index.cjs",
      "app://cellcert/index.html",
    );
    expect(made).toEqual([window]);
    expect(window.options).toEqual(
      mainWindowOptions("/app/out/preload/index.cjs"),
    );
    expect(window.options.show).toBe(false);
    expect(window.loaded).toEqual(["app://cellcert/index.html"]);
    expect(window.shown).toBe(false);
    window.draw();
    expect(window.shown).toBe(true);
  });
});
