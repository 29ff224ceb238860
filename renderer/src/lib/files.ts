// Files in browser mode: chosen or dropped files read as base64 for an `upload` source, exports downloaded
// through a Blob URL and an <a download> click.
import type { FileSource } from "../../../shared/contract/schemas";

/** The bytes of a chosen or dropped file (FileReader: every browser and jsdom have it). */
function readBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () =>
      reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsArrayBuffer(file);
  });
}

export async function readAsBase64(file: Blob): Promise<string> {
  const bytes = await readBytes(file);
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export async function uploadSource(file: File): Promise<FileSource> {
  return {
    kind: "upload",
    fileName: file.name,
    base64: await readAsBase64(file),
  };
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Saves bytes the engine handed back as a download named `fileName`. */
export function downloadBase64(fileName: string, base64: string): void {
  const type = fileName.endsWith(".pdf")
    ? "application/pdf"
    : "application/octet-stream";
  downloadBlob(fileName, new Blob([base64ToBytes(base64)], { type }));
}

export function downloadText(fileName: string, text: string): void {
  downloadBlob(fileName, new Blob([text], { type: "application/x-pem-file" }));
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
