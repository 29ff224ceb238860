// Moves keyboard focus to a screen's heading when the screen changes, so a keyboard user starts at its top.
import { useEffect, useRef } from "react";

export function useFocusHeading<T extends HTMLElement>(key: string) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}
