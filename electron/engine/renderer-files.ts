// How the built renderer is served, the same in Electron's app:// protocol and in the browser host:
// the Content Security Policy and other headers, content types, and the path-to-file mapping.
import { resolve, sep } from "node:path";

// No eval, no inline script, no remote origin: everything the UI needs ships inside the app.
const POLICY: readonly (readonly [directive: string, sources: string])[] = [
  ["default-src", "'self'"],
  ["script-src", "'self'"],
  ["style-src", "'self'"],
  ["font-src", "'self'"],
  ["img-src", "'self' data: blob:"],
  ["connect-src", "'self'"],
  ["object-src", "'none'"],
  ["base-uri", "'none'"],
  ["form-action", "'none'"],
  ["frame-src", "'none'"],
  ["frame-ancestors", "'none'"],
];

/** Directives a `<meta http-equiv>` policy may not carry (browsers ignore them there, and say so on the console). */
const HEADER_ONLY = new Set(["frame-ancestors", "report-uri", "sandbox"]);

const policyText = (directives: typeof POLICY): string =>
  directives.map((directive) => directive.join(" ")).join("; ");

/** The policy as the response header says it, in both modes. */
export const CONTENT_SECURITY_POLICY = policyText(POLICY);

/** The same policy as renderer/index.html says it in its `<meta http-equiv>`, without the header-only directives. */
export const META_CONTENT_SECURITY_POLICY = policyText(
  POLICY.filter(([directive]) => !HEADER_ONLY.has(directive)),
);

/** index.html's `<meta http-equiv="Content-Security-Policy">` tags. */
const CSP_META_TAG =
  /<meta\b[^>]*\bhttp-equiv\s*=\s*"content-security-policy"[^>]*>/gi;

/**
 * Why an index.html's `<meta http-equiv="Content-Security-Policy">` is not the policy above, as a sentence; null
 * when it is. The renderer build refuses a page for which this is not null.
 */
export function cspMetaProblem(html: string): string | null {
  const tags = html.match(CSP_META_TAG) ?? [];
  const wanted = `It should read: <meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`;
  if (tags.length !== 1)
    return `index.html has ${tags.length} Content-Security-Policy meta tags, not one. ${wanted}`;
  const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(tags[0])?.[1];
  if (content !== META_CONTENT_SECURITY_POLICY)
    return `index.html's Content-Security-Policy meta tag differs from the policy in electron/engine/renderer-files.ts. ${wanted}`;
  return null;
}

/** The page without its CSP meta: for the dev server only, whose live reload injects inline scripts and styles. */
export function withoutCspMeta(html: string): string {
  return html.replace(CSP_META_TAG, "");
}

/** Headers every renderer file is served with, in both modes. */
export const RENDERER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

/** The file a URL path names inside the renderer folder ("/" is index.html), or null when it would leave it. */
export function resolveRendererFile(
  rendererDir: string,
  urlPath: string,
): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath === "/" ? "/index.html" : urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const base = resolve(rendererDir);
  const file = resolve(base, `.${decoded}`);
  return file.startsWith(base + sep) ? file : null;
}
