// Hands the store to components; `useAppStore(selectX)` re-renders only when the selection changes.
import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { AppState, AppStore } from "./app-store";

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  store: AppStore;
  children: ReactNode;
}): ReactNode {
  return (
    <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
  );
}

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (store === null)
    throw new Error("useAppStore needs a StoreProvider above it.");
  return store;
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
