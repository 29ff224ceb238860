// Renderer entry: connect to the engine, build the store, render.
import "@fontsource-variable/inter/index.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { z } from "zod";
import { App, Disconnected } from "./App";
import { connect } from "./api/connect";
import { connectEvents, createAppStore } from "./store/app-store";
import { StoreProvider } from "./store/context";

// zod would probe `new Function` once; the CSP forbids eval, so tell it not to try.
z.config({ jitless: true });

const root = createRoot(document.getElementById("root") as HTMLElement);
const connection = connect();
if (connection.ok) {
  const store = createAppStore(connection.api);
  connectEvents(store, connection.api);
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
} else {
  root.render(<Disconnected reason={connection.reason} />);
}
