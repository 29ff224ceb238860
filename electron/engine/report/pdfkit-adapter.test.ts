// Pins the pdfkit internals the certificate relies on (pdfkit-adapter.ts): a pdfkit upgrade that moves any of them
// fails here, by name, before it breaks a certificate.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import projectPackage from "../../../package.json" with { type: "json" };
import { loadFonts } from "./fonts";
import {
  catalogEntries,
  currentParsedFont,
  nameEmbeddedFile,
  pdfReference,
  replaceMetadataStep,
  textOutline,
} from "./pdfkit-adapter";

async function written(doc: PDFKit.PDFDocument): Promise<string> {
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on("end", resolve));
  doc.end();
  await ended;
  return Buffer.concat(chunks).toString("latin1");
}

function newDocument(): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    autoFirstPage: false,
    font: null as unknown as string,
    pdfVersion: "1.7",
    compress: false,
  });
  doc.registerFont("regular", loadFonts().regular);
  doc.addPage();
  doc.font("regular");
  return doc;
}

describe("the pdfkit internals the certificate uses", () => {
  it("are those of the pdfkit version the project pins", () => {
    expect(projectPackage.dependencies.pdfkit).toBe("0.20.2");
    // pdfkit exports no package.json: read it beside its entry (js/pdfkit.js).
    const entry = createRequire(import.meta.url).resolve("pdfkit");
    const installed = JSON.parse(
      readFileSync(join(dirname(entry), "..", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe("0.20.2");
  });

  it("catalogEntries is the /Root dictionary: an entry put there is written in the catalog", async () => {
    const doc = newDocument();
    const catalog = catalogEntries(doc);
    expect(catalog.Pages).toBeDefined();
    catalog.CellcertPin = new String("catalog entry");
    const pdf = await written(doc);
    expect(pdf).toMatch(
      /\/Type \/Catalog[\s\S]*\/CellcertPin \(catalog entry\)/,
    );
  });

  it("currentParsedFont is the font engine's font, able to lay out and outline text", () => {
    const font = currentParsedFont(newDocument());
    expect(font.unitsPerEm).toBe(2048);
    const outline = textOutline(font, "PRACTICE", 100);
    expect(outline.glyphs).toHaveLength(8);
    expect(outline.glyphs[0]?.path).toMatch(/^M/);
    expect(outline.width).toBeGreaterThan(400);
    expect(outline.glyphs[1]?.x).toBeGreaterThan(0);
  });

  it("replaceMetadataStep replaces the XMP that doc.end() writes", async () => {
    const doc = newDocument();
    let called = 0;
    replaceMetadataStep(doc, () => {
      called += 1;
      const stream = pdfReference(doc, { Type: "Metadata", Subtype: "XML" });
      stream.compress = false;
      stream.end("<cellcert-xmp/>");
      catalogEntries(doc).Metadata = stream;
    });
    const pdf = await written(doc);
    expect(called).toBe(1);
    expect(pdf).toContain("<cellcert-xmp/>");
    // pdfkit's own packet (with its unescaped document information) is gone.
    expect(pdf).not.toContain("xmp:CreatorTool");
  });

  it("nameEmbeddedFile puts a file specification in the /EmbeddedFiles name tree", async () => {
    const doc = newDocument();
    const stream = pdfReference(doc, { Type: "EmbeddedFile" });
    stream.end("{}");
    const spec = pdfReference(doc, {
      Type: "Filespec",
      F: new String("a.json"),
      EF: { F: stream },
    });
    spec.end();
    nameEmbeddedFile(doc, "a.json", spec);
    const pdf = await written(doc);
    expect(pdf).toMatch(/\/EmbeddedFiles[\s\S]*\(a\.json\)/);
  });

  it("pdfReference writes an indirect object with the given dictionary and stream", async () => {
    const doc = newDocument();
    const ref = pdfReference(doc, { Type: "Pinned" });
    ref.end(Buffer.from("pinned bytes"));
    const pdf = await written(doc);
    // The test document is uncompressed: the stream's bytes stand as written.
    expect(pdf).toMatch(
      /\/Type \/Pinned[\s\S]*?stream\npinned bytes\nendstream/,
    );
  });
});
