// What a Cellcert certificate PDF carries that `verify` reads back, written once for the writer (report/) and the
// verifier alike: the keys of the signed document information, the name of the embedded evidence file, the
// signature's SubFilter and the words of the plant verdict stamp. The CMS's object identifiers are in oids.ts.
import type { PlantVerdict } from "../../../shared/plant-words";

/** Keys of the signed document information. */
export const INFO_KEYS = {
  number: "CellcertCertificateNumber",
  evidenceSha256: "CellcertEvidenceSHA256",
  plantVerdict: "CellcertPlantVerdict",
  practice: "CellcertPractice",
  schema: "CellcertEvidenceSchema",
} as const;

/** The evidence JSON, embedded as an associated file; its SHA-256 is INFO_KEYS.evidenceSha256. */
export const EVIDENCE_FILE_NAME = "cellcert-evidence.json";

/** PAdES (ETSI EN 319 142-1): the only kind of signature a Cellcert certificate carries. */
export const SIGNATURE_SUB_FILTER = "ETSI.CAdES.detached";

/** The plant verdict as the stamp on page 1 writes it (DESIGN §2's words, in capitals). */
export const PLANT_VERDICT_WORDS: Record<PlantVerdict, string> = {
  commissioned: "COMMISSIONED",
  "commissioned with waivers": "COMMISSIONED WITH WAIVERS",
  "not commissioned": "NOT COMMISSIONED",
};
