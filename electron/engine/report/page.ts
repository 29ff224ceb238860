// The certificate's A4 page: its margins, the width text runs in, and the inks (dark enough to print as greys).
export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: 48,
  right: 48,
  top: 50,
  bottom: 58,
} as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

export const INK = "#1a1a1a";
export const MUTED = "#555555";
export const RULE = "#9a9a9a";
export const SHADE = "#eeeeee";
