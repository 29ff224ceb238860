// What the build compiles into Cellcert's Node code (vite.shared.config.ts).

/** The git commit of this build (7 hex digits), or "unknown" when built without git. */
declare const __CELLCERT_BUILD__: string;

/** A bundled binary file, as a base64 data URL. */
declare module "*.icc?inline" {
  const dataUrl: string;
  export default dataUrl;
}

/** node-forge's ASN.1 module on its own (electron/engine/x509/certificate-info.ts): `forge.asn1`. */
declare module "node-forge/lib/asn1.js" {
  import type forge from "node-forge";
  const asn1: typeof forge.asn1;
  export default asn1;
}
