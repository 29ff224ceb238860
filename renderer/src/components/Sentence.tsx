// An engine or roll-up sentence on screen: in the app's words (lib/engine-words), with "out of date" kept on one
// line wherever it stands (DESIGN §1's words, never broken across a line), with its count when it has one.
import type { ReactNode } from "react";
import { inAppWords } from "../lib/engine-words";

const KEPT_TOGETHER = /((?:\d+ )?out of date)/i;

export function Sentence({ text }: { text: string }): ReactNode {
  const parts = inAppWords(text).split(KEPT_TOGETHER);
  return parts.map((part, index) =>
    index % 2 === 1 ? (
      <span key={index} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}
