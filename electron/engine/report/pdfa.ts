// What makes the certificate PDF/A-3b, in one place: the catalog's /Metadata (XMP with the PDF/A identification
// and the document information as XMP), /OutputIntents (sRGB, resources/icc/sRGB.icc) and /AF (the evidence JSON
// as an associated file, relationship Data). Every catalog entry the certificate adds is written here, so later
// entries (the signed revision's /DSS) sit beside them.
import { createHash } from "node:crypto";
import srgbProfileUrl from "../../../resources/icc/sRGB.icc?inline";
import {
  catalogEntries,
  nameEmbeddedFile,
  pdfReference,
  replaceMetadataStep,
} from "./pdfkit-adapter";

/** The document information, as given to pdfkit and mirrored in the XMP. */
export interface DocumentInfo {
  Title: string;
  Author: string;
  Subject: string;
  Keywords: string;
  Creator: string;
  Producer: string;
  CreationDate: Date;
  ModDate: Date;
}

export interface AssociatedFile {
  name: string;
  mimeType: string;
  description: string;
  data: Uint8Array;
  modified: Date;
}

let srgbProfile: Buffer | undefined;

/** The bundled sRGB ICC profile's bytes. */
export function srgbIccProfile(): Buffer {
  srgbProfile ??= Buffer.from(
    srgbProfileUrl.slice(srgbProfileUrl.indexOf(",") + 1),
    "base64",
  );
  return srgbProfile;
}

/** What a verifier years later needs beside the CA certificates (DER): the signer's chain and its CRLs. */
export interface ValidationData {
  certificates: readonly Uint8Array[];
  crls: readonly Uint8Array[];
}

/** Adds the PDF/A-3b catalog entries and the /DSS; call before doc.end(). */
export function addPdfaEntries(
  doc: PDFKit.PDFDocument,
  info: DocumentInfo,
  attachment: AssociatedFile,
  validation: ValidationData,
): void {
  const catalog = catalogEntries(doc);

  // /AF: the evidence JSON, embedded and associated with the document as its data.
  catalog.AF = [embedFile(doc, attachment)];

  // /OutputIntents: sRGB, the colour space every colour in the document is given in.
  const profile = srgbIccProfile();
  const icc = pdfReference(doc, { N: 3, Length: profile.length });
  icc.end(profile);
  const intent = pdfReference(doc, {
    Type: "OutputIntent",
    S: "GTS_PDFA1",
    OutputConditionIdentifier: new String("sRGB IEC61966-2.1"),
    Info: new String("sRGB IEC61966-2.1"),
    RegistryName: new String("http://www.color.org"),
    DestOutputProfile: icc,
  });
  intent.end();
  catalog.OutputIntents = [intent];

  // /DSS, the Document Security Store (ETSI EN 319 142-1 §5.4.2, PDF 2.0 §12.8.4.3): the signer's certificates and
  // the CRLs for them in the catalog of the revision that is signed — written before signing, so nothing is
  // appended after the signature and "nothing follows the signed revision" stays the integrity rule (DESIGN §10).
  const stream = (der: Uint8Array): object => {
    const reference = pdfReference(doc, {});
    reference.end(Buffer.from(der));
    return reference;
  };
  const dss = pdfReference(doc, {
    Type: "DSS",
    Certs: validation.certificates.map(stream),
    ...(validation.crls.length > 0 && { CRLs: validation.crls.map(stream) }),
  });
  dss.end();
  catalog.DSS = dss;

  // /Metadata: written as doc.end() finishes, in place of pdfkit's own XMP.
  replaceMetadataStep(doc, () => {
    const xmp = pdfReference(doc, { Type: "Metadata", Subtype: "XML" });
    // PDF/A: the metadata stream stays unfiltered, readable by tools that know nothing of PDF.
    xmp.compress = false;
    xmp.end(new TextEncoder().encode(xmpPacket(info)));
    catalog.Metadata = xmp;
  });
}

/** An embedded file (PDF 32000 §7.11.4) with the parameters PDF/A-3 asks for, named and returned as its spec. */
function embedFile(doc: PDFKit.PDFDocument, file: AssociatedFile) {
  const data = Buffer.from(file.data);
  const stream = pdfReference(doc, {
    Type: "EmbeddedFile",
    // A PDF name: its "/" written as #2F.
    Subtype: file.mimeType.replaceAll("/", "#2F"),
    Params: {
      // pdfkit's doc.file() hashes with a pure-JS MD5, slow on a large file.
      CheckSum: new Uint8Array(createHash("md5").update(data).digest()),
      Size: data.length,
      CreationDate: file.modified,
      ModDate: file.modified,
    },
  });
  stream.end(data);
  const text = (value: string): object => new String(value);
  const spec = pdfReference(doc, {
    Type: "Filespec",
    AFRelationship: "Data",
    F: text(file.name),
    UF: text(file.name),
    Desc: text(file.description),
    EF: { F: stream, UF: stream },
  });
  spec.end();
  nameEmbeddedFile(doc, file.name, spec);
  return spec;
}

/** The XMP packet: PDF/A-3b identification, and the document information as Dublin Core, XMP and PDF properties. */
export function xmpPacket(info: DocumentInfo): string {
  const date = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xml(info.Author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Subject)}</rdf:li></rdf:Alt></dc:description>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>${xml(info.Creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${date(info.CreationDate)}</xmp:CreateDate>
   <xmp:ModifyDate>${date(info.ModDate)}</xmp:ModifyDate>
   <xmp:MetadataDate>${date(info.ModDate)}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>${xml(info.Producer)}</pdf:Producer>
   <pdf:Keywords>${xml(info.Keywords)}</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

function xml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
