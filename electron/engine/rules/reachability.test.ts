// The reachability rules tell a closed path (a measurement) from a laptop that could not try (not tested).
import { describe, expect, it } from "vitest";
import {
  TCP_EVIDENCE_SCHEMA,
  type PortObservation,
  type TcpEvidence,
} from "../../../shared/evidence/web";
import { REASONS, judgeMustBeClosed, judgeMustBeOpen } from "./reachability";

const port = (
  number: number,
  state: PortObservation["state"],
  code = "",
): PortObservation => ({
  port: number,
  state,
  address: "127.0.0.5",
  code,
  durationMs: 3,
  message: `${number} ${state} ${code}`.trim(),
});
const evidence = (...ports: PortObservation[]): TcpEvidence => ({
  schema: TCP_EVIDENCE_SCHEMA,
  host: "db.plant.local",
  localAddress: "127.0.0.2",
  ports,
});
const segmentation = (...ports: PortObservation[]) =>
  judgeMustBeClosed(
    "ENT-PER.segmentation",
    evidence(...ports),
    ports.map((p) => p.port),
    {
      what: "the database",
      where: "the enterprise cell",
      why: REASONS.segmentation,
    },
  );

describe("judgeMustBeClosed", () => {
  it("names every denied port that answers, in a sentence that fits one or several", () => {
    const denied = judgeMustBeClosed(
      "REMOTE.firewall.denied",
      evidence(port(445, "open"), port(3389, "open"), port(1433, "refused")),
      [445, 3389, 1433],
      {
        what: "the denied ports",
        where: "the remote site",
        why: REASONS.denied,
        plural: true,
      },
    );
    expect(denied.verdict).toBe("fail");
    expect(denied.message).toBe(
      "db.plant.local:445, db.plant.local:3389 (the denied ports) are reachable from the remote site: the firewall should refuse or drop remote clients' connections to every denied port.",
    );
  });

  it("passes when every port is refused, filtered, reset or unreachable by a router", () => {
    const result = segmentation(
      port(1433, "refused", "ECONNREFUSED"),
      port(1434, "filtered"),
      port(135, "reset", "ECONNRESET"),
      port(445, "unreachable", "EHOSTUNREACH"),
      port(3389, "unreachable", "EHOSTDOWN"),
    );
    expect(result.verdict).toBe("pass");
  });

  it("fails when any port is open, naming it", () => {
    const result = segmentation(
      port(1433, "open"),
      port(1434, "refused", "ECONNREFUSED"),
    );
    expect(result.verdict).toBe("fail");
    expect(result.message).toContain("db.plant.local:1433");
  });

  it.each([
    "ENETUNREACH",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "EINVAL",
    "EACCES",
    "EPERM",
    "",
  ])(
    "is not tested when this laptop could not try the connection (%s)",
    (code) => {
      const result = segmentation(
        port(1433, "unreachable", code),
        port(1434, "refused", "ECONNREFUSED"),
      );
      expect(result.verdict).toBe("not-tested");
      expect(result.message).toContain(`1433 unreachable ${code}`.trim());
    },
  );

  it("is not tested when the name does not resolve", () => {
    const result = segmentation(port(1433, "dns-failure", "ENOTFOUND"));
    expect(result.verdict).toBe("not-tested");
    expect(result.reason).toBe("dns failure");
  });
});

describe("judgeMustBeOpen", () => {
  const allowed = (...ports: PortObservation[]) =>
    judgeMustBeOpen(
      "REMOTE.firewall.allowed",
      evidence(...ports),
      ports.map((p) => p.port),
      "the remote site",
    );

  it("passes when every listed port is open", () => {
    expect(allowed(port(443, "open"), port(3389, "open")).verdict).toBe("pass");
  });

  it("fails when a listed port is closed", () => {
    const result = allowed(port(443, "open"), port(3389, "filtered"));
    expect(result.verdict).toBe("fail");
    expect(result.message).toContain("filtered");
  });

  it("is not tested when nothing could be reached", () => {
    expect(allowed(port(443, "unreachable", "EADDRNOTAVAIL")).verdict).toBe(
      "not-tested",
    );
  });
});
