// What the build compiles into Cellcert's Node code (vite.shared.config.ts).

/** The git commit of this build (7 hex digits), or "unknown" when built without git. */
declare const __CELLCERT_BUILD__: string;

/** A bundled binary file, as a base64 data URL. */
declare module "*.icc?inline" {
  const dataUrl: string;
  export default dataUrl;
}
