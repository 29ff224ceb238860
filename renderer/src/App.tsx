// The shell: a header naming the app and its version, and the current screen.
import { useEffect, type ReactNode } from "react";
import { selectModeLabel, selectVersionLabel } from "./store/about-slice";
import { useAppStore } from "./store/context";
import { StartScreen } from "./screens/StartScreen";

export function App(): ReactNode {
  const loadAbout = useAppStore((state) => state.loadAbout);
  const versionLabel = useAppStore(selectVersionLabel);
  const modeLabel = useAppStore(selectModeLabel);
  const aboutError = useAppStore((state) => state.about.error);

  useEffect(() => {
    void loadAbout();
  }, [loadAbout]);

  return (
    <div className="shell">
      <header className="shell-header">
        <img
          className="shell-logo"
          src="./favicon.svg"
          alt=""
          width={36}
          height={36}
        />
        <span className="shell-name">Cellcert</span>
        <span className="shell-version" data-testid="app-version">
          {versionLabel ?? "Loading…"}
        </span>
        {modeLabel !== null && <span className="shell-mode">{modeLabel}</span>}
      </header>
      <main className="shell-main">
        {aboutError !== null && (
          <p role="alert" className="banner banner-error">
            {aboutError}
          </p>
        )}
        <StartScreen />
      </main>
    </div>
  );
}

export function Disconnected({ reason }: { reason: string }): ReactNode {
  return (
    <div className="shell">
      <main className="shell-main">
        <h1>Cellcert</h1>
        <p role="alert" className="banner banner-error">
          {reason}
        </p>
      </main>
    </div>
  );
}
