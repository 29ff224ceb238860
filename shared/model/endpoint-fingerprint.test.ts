import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  anchorsOf,
  endpointFingerprint,
  measuredInput,
} from "./endpoint-fingerprint";
import { Plan, type Endpoint } from "./plan";
import { sha256Hex } from "./sha256";

/** A CRL as the plan holds it; only its PEM body is measured. */
const crlOf = (body: string): Plan["crls"][number] => ({
  id: `crl-${body.length}`,
  name: "Issuing CA CRL",
  pem: `-----BEGIN X509 CRL-----\n${body}\n-----END X509 CRL-----`,
  issuer: "CN=Issuing CA",
  thisUpdate: "2026-11-01T00:00:00.000Z",
  nextUpdate: "2026-12-01T00:00:00.000Z",
  entries: 1,
});

const template = Plan.parse(
  JSON.parse(
    readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
  ),
);

const ANCHOR_A = "AA:".repeat(31) + "AA";
const ANCHOR_B = "BB:".repeat(31) + "BB";
const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

/** The template with two anchors, a client identity and a SQL login, so every field has something to change. */
function basePlan(): Plan {
  const plan = structuredClone(template);
  plan.trustAnchors = [
    {
      id: "root-a",
      name: "A",
      pem,
      subject: "CN=A",
      fingerprintSha256: ANCHOR_A,
    },
    {
      id: "root-b",
      name: "B",
      pem,
      subject: "CN=B",
      fingerprintSha256: ANCHOR_B,
    },
  ];
  plan.identities = [
    {
      id: "perimeter-client",
      role: "client",
      name: "Perimeter client",
      file: "identities/perimeter-client.p12",
      passphrase: "prompt",
      subject: "CN=perimeter",
      fingerprintSha256: "CC:".repeat(31) + "CC",
    },
  ];
  endpointOf(plan, "mes-gateway").clientIdentityId = "perimeter-client";
  plan.credentials = [
    { id: "mes-app", name: "MES app", user: "mes_app", password: "prompt" },
  ];
  return plan;
}

const endpointOf = (plan: Plan, id: string): Endpoint => {
  const endpoint = plan.endpoints.find((e) => e.id === id);
  if (endpoint === undefined) throw new Error(`no endpoint ${id}`);
  return endpoint;
};

describe("the pure SHA-256", () => {
  it.each([
    "",
    "abc",
    "a".repeat(55),
    "a".repeat(56),
    "a".repeat(64),
    "Győr ☃ 😀 Łódź",
  ])("agrees with Node's crypto on %j", (text) => {
    expect(sha256Hex(text)).toBe(
      createHash("sha256").update(text).digest("hex"),
    );
  });
});

describe("what a result measured (DESIGN §1 out of date)", () => {
  // Each row changes one probe-relevant thing; the fingerprint must change with it.
  const changes: [
    what: string,
    endpointId: string,
    change: (plan: Plan, endpoint: Endpoint) => void,
  ][] = [
    ["host", "perimeter-web", (_, e) => (e.host = "perimeter2.plant.invalid")],
    ["port", "perimeter-web", (_, e) => (e.port = 8443)],
    ["kind", "external-system", (_, e) => (e.kind = "https")],
    [
      "server name",
      "perimeter-web",
      (_, e) => (e.serverName = "www.plant.invalid"),
    ],
    [
      "paths",
      "mes-site",
      (_, e) => (e.paths = [...e.paths, "/OpcenterApi/v2"]),
    ],
    [
      "allowed ports",
      "remote-firewall",
      (_, e) => (e.allowedPorts = [443, 8443]),
    ],
    ["denied ports", "remote-firewall", (_, e) => (e.deniedPorts = [3389])],
    ["expected port state", "remote-firewall", (_, e) => (e.expect = "closed")],
    ["SQL instance", "sql-server", (_, e) => (e.sqlInstance = "MES")],
    [
      "SQL login",
      "sql-server",
      (p, e) => {
        e.credentialId = "mes-app";
        p.credentials[0]!.user = "mes_reader";
      },
    ],
    [
      "the MES application's login",
      "sql-server",
      (_, e) => (e.appLogin = "mes_app"),
    ],
    [
      "OPC UA path",
      "sql-server",
      (_, e) => {
        e.kind = "opcua";
        e.opcuaPath = "/UA/Server";
      },
    ],
    ["public roots", "perimeter-web", (_, e) => (e.publicRoots = true)],
    [
      "chosen trust anchors",
      "perimeter-web",
      (_, e) => (e.trustAnchorIds = ["root-a"]),
    ],
    [
      "an anchor's content",
      "perimeter-web",
      (p) => {
        p.trustAnchors[1]!.fingerprintSha256 = "DD:".repeat(31) + "DD";
      },
    ],
    [
      "a new anchor in the plan",
      "mes-gateway",
      (p) => {
        p.trustAnchors.push({
          id: "root-c",
          name: "C",
          pem,
          subject: "CN=C",
          fingerprintSha256: "EE:".repeat(31) + "EE",
        });
      },
    ],
    [
      "a CRL added to the trust material",
      "perimeter-web",
      (p) => {
        p.crls.push(crlOf("MIIBzzCB"));
      },
    ],
    ["client identity", "mes-gateway", (_, e) => delete e.clientIdentityId],
    [
      "the client identity's certificate",
      "mes-gateway",
      (p) => {
        p.identities[0]!.fingerprintSha256 = "FF:".repeat(31) + "FF";
      },
    ],
  ];
  it.each(changes)("changes with the %s", (_what, id, change) => {
    const plan = basePlan();
    const before = endpointFingerprint(plan, endpointOf(plan, id));
    const changed = structuredClone(plan);
    change(changed, endpointOf(changed, id));
    expect(endpointFingerprint(changed, endpointOf(changed, id))).not.toBe(
      before,
    );
  });

  // Things that change nothing measured: a result stays current through them.
  const unchanged: [
    what: string,
    endpointId: string,
    change: (plan: Plan, endpoint: Endpoint) => void,
  ][] = [
    [
      "the endpoint's name and notes",
      "perimeter-web",
      (_, e) => {
        e.name = "Reverse proxy";
        e.notes = "Renamed on site.";
      },
    ],
    [
      "the order of its paths and ports",
      "remote-firewall",
      (_, e) => {
        e.allowedPorts = [...e.allowedPorts].reverse();
        e.paths = ["/b", "/a"];
      },
    ],
    [
      "where the identity file lies (a plan folder copied elsewhere)",
      "mes-gateway",
      (p) => {
        p.identities[0]!.file = "elsewhere/renamed-client.pfx";
        p.identities[0]!.name = "Renamed";
        p.trustAnchors[0]!.name = "Renamed root";
      },
    ],
    [
      "a host name's case",
      "perimeter-web",
      (_, e) => (e.host = e.host.toUpperCase()),
    ],
    [
      "a CRL's PEM wrapped differently",
      "perimeter-web",
      (p) => {
        const crl = p.crls[0]!;
        p.crls[0] = {
          ...crl,
          pem: crl.pem.replace("MIIB", "MIIB\n"),
          name: "Renamed",
        };
      },
    ],
    [
      "trust anchors, for a port probe",
      "remote-firewall",
      (p) => {
        p.trustAnchors.pop();
      },
    ],
  ];
  it.each(unchanged)("stays the same through %s", (_what, id, change) => {
    const plan = basePlan();
    plan.crls.push(crlOf("MIIBzzCBuAIBATANBgkq"));
    if (id === "remote-firewall") endpointOf(plan, id).paths = ["/a", "/b"];
    const before = endpointFingerprint(plan, endpointOf(plan, id));
    const changed = structuredClone(plan);
    change(changed, endpointOf(changed, id));
    expect(endpointFingerprint(changed, endpointOf(changed, id))).toBe(before);
  });

  it("reads trust material by content: anchor fingerprints and CRL hashes", () => {
    const plan = basePlan();
    expect(measuredInput(plan, endpointOf(plan, "perimeter-web")).crls).toEqual(
      [],
    );
    plan.crls.push(crlOf("MIIBzzCB"));
    const input = measuredInput(plan, endpointOf(plan, "perimeter-web"));
    expect(input.anchors).toEqual([ANCHOR_A, ANCHOR_B]);
    expect(input.crls).toEqual([sha256Hex("MIIBzzCB").toUpperCase()]);
    expect(JSON.stringify(input)).not.toContain("identities/");
    expect(
      anchorsOf(plan, { trustAnchorIds: ["root-b"] }).map((a) => a.id),
    ).toEqual(["root-b"]);
  });
});
