// Plain-text tables for the terminal: columns sized to their content, the last column wrapped to the width.
export interface TableOptions {
  /** Total width to fit; the last column wraps. */
  width?: number;
}

export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const width = options.width ?? 120;
  const columns = headers.length;
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const lastWidth = Math.max(20, width - fixed);
  widths[columns - 1] = Math.min(widths[columns - 1] ?? 0, lastWidth);

  const lines: string[] = [];
  const emit = (cells: readonly string[]): void => {
    const last = wrap(
      cells[columns - 1] ?? "",
      widths[columns - 1] ?? lastWidth,
    );
    last.forEach((piece, lineIndex) => {
      const left = cells
        .slice(0, -1)
        .map((cell, i) => (lineIndex === 0 ? cell : "").padEnd(widths[i] ?? 0));
      lines.push([...left, piece].join("  ").trimEnd());
    });
  };
  emit(headers);
  lines.push(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of rows) emit(row);
  return lines.join("\n");
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}
