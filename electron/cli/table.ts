// Plain-text tables for the terminal: columns sized to their content up to a cap, long cells wrapped, the last
// column taking the rest of the width.
export interface TableOptions {
  /** Total width to fit. */
  width?: number;
  /** Widest any column but the last may get before its cells wrap. */
  maxColumnWidth?: number;
}

export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const width = options.width ?? 120;
  const cap = options.maxColumnWidth ?? 36;
  const columns = headers.length;
  const widths = headers.map((header, i) => {
    const content = Math.max(
      header.length,
      ...rows.map((row) => (row[i] ?? "").length),
    );
    return i === columns - 1
      ? content
      : Math.min(content, Math.max(cap, header.length));
  });
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  widths[columns - 1] = Math.min(
    widths[columns - 1] ?? 0,
    Math.max(30, width - fixed),
  );

  const lines: string[] = [];
  const emit = (cells: readonly string[]): void => {
    const wrapped = headers.map((_, i) =>
      wrap(cells[i] ?? "", widths[i] ?? 30),
    );
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let line = 0; line < height; line++) {
      lines.push(
        wrapped
          .map((pieces, i) =>
            i === columns - 1
              ? (pieces[line] ?? "")
              : (pieces[line] ?? "").padEnd(widths[i] ?? 0),
          )
          .join("  ")
          .trimEnd(),
      );
    }
  };
  emit(headers);
  lines.push(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of rows) emit(row);
  return lines.join("\n");
}

/**
 * Wraps at spaces. A word longer than the width is cut after its last ":", "/", "," or "-" that fits (a fingerprint
 * breaks between bytes and can still be read and compared), else at the width.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    let rest = word;
    while (rest.length > width) {
      if (line !== "") {
        lines.push(line);
        line = "";
      }
      const head = rest.slice(0, width);
      const mark = Math.max(
        ...[":", "/", ",", "-"].map((c) => head.lastIndexOf(c)),
      );
      const cut = mark >= width / 2 ? mark + 1 : width;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (line === "") line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}
