// Property: a random chain of valid certificates (root, 0–3 intermediates, leaf), sent leaf first with its
// intermediates shuffled among random extras and duplicates, always validates to the root — and what was sent is
// accounted for exactly: every sent certificate is on the path or listed as an extra, in the order sent.
// Quick by default; CELLCERT_THOROUGH=1 runs many more chains.
import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EC_P256,
  createSelfSigned,
  generateKey,
  issueCertificate,
  type PracticeCertificate,
} from "../../demo/pki";
import { validatePath } from "./path";

const key = generateKey(EC_P256);
const roots = [0, 1].map((i) =>
  createSelfSigned({ commonName: `Property Root ${i}`, isCA: true, key }),
);
/** Chains of every depth below each root, built once (a CA chain per depth, then a leaf). */
function chain(root: PracticeCertificate, depth: number, tag: string) {
  const cas: PracticeCertificate[] = [];
  let issuer = root;
  for (let i = 0; i < depth; i++) {
    issuer = issueCertificate(issuer, {
      commonName: `${tag} CA ${i}`,
      isCA: true,
      key,
    });
    cas.push(issuer);
  }
  const leaf = issueCertificate(issuer, {
    commonName: `${tag}.plant.local`,
    key,
    extendedKeyUsage: ["serverAuth"],
  });
  return { leaf, cas: cas.reverse() };
}
const chains = [0, 1, 2, 3].map((depth) =>
  chain(roots[0]!, depth, `d${depth}`),
);
const strangers = [1, 2].map((depth) => chain(roots[1]!, depth, `s${depth}`));
const extrasPool = [
  roots[1]!,
  roots[0]!,
  ...strangers.flatMap((s) => [s.leaf, ...s.cas]),
];

describe("path building, as a property", () => {
  it("validates any shuffle with extras and accounts for every certificate sent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 0, max: extrasPool.length - 1 }), {
          maxLength: 4,
        }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (depth, extraIndexes, duplicateIndexes, randoms) => {
          const { leaf, cas } = chains[depth]!;
          const extras = extraIndexes.map((i) => extrasPool[i]!);
          const duplicates = duplicateIndexes.flatMap((i) =>
            cas[i] === undefined ? [] : [cas[i]],
          );
          const rest = [...cas, ...extras, ...duplicates]
            .map((certificate) => ({
              certificate,
              order: Number(randoms.next().value),
            }))
            .sort((a, b) => a.order - b.order)
            .map((entry) => entry.certificate);
          const sent = [leaf, ...rest];
          const result = await validatePath({
            sent: sent.map((c) => c.der),
            anchors: [roots[0]!.pem],
            publicRoots: false,
            purpose: { kind: "server-tls", keyExchange: null },
            now: new Date(),
          });
          expect(result.status).toBe("valid");
          expect(result.path.map((l) => l.subject)).toEqual(
            [leaf, ...cas, roots[0]!].map((c) => `CN=${c.commonName}`),
          );
          // Every position sent is either the first copy of a path certificate or an extra; none is lost.
          const onPath = new Set(result.path.map((l) => l.fingerprintSha256));
          const seen = new Set<string>();
          const accounted = sent.map((c, index) => {
            const fp = result.extras.find((e) => e.sentIndex === index);
            if (fp !== undefined) return "extra";
            const fingerprint = fingerprintOf(c);
            const first = !seen.has(fingerprint);
            seen.add(fingerprint);
            return first && onPath.has(fingerprint) ? "path" : "lost";
          });
          expect(accounted).not.toContain("lost");
          expect(result.extras.map((e) => e.sentIndex)).toEqual(
            [...result.extras.map((e) => e.sentIndex)].sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: process.env.CELLCERT_THOROUGH === "1" ? 400 : 30 },
    );
  });
});

function fingerprintOf(certificate: PracticeCertificate): string {
  return new X509Certificate(certificate.der).fingerprint256.toUpperCase();
}
