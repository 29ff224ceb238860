// What a re-audit reads of the runs' evidence: the latest run's observation per probe, except from a probe that
// Stop interrupted, which observed nothing to compare.
import { describe, expect, it } from "vitest";
import { observationsOf } from "./record";

const tls = (
  protocols: { protocol: string; accepted: boolean }[],
  stopped: boolean,
) => ({
  schema: "cellcert.tls-evidence/2",
  chain: [],
  protocols: protocols.map((p) => ({
    ...p,
    tried: true,
    suites: [{ code: 4865, name: "TLS_AES_128_GCM_SHA256" }],
    suitesComplete: true,
  })),
  unreachable: stopped
    ? {
        stage: "enumeration",
        protocol: null,
        kind: "stopped",
        code: "ABORT_ERR",
        message: "Stopped.",
      }
    : null,
});

describe("the observations of a re-audit", () => {
  it("keeps an earlier run's observation when a later run's probe was stopped, and takes a later whole one", () => {
    const first = {
      sequence: 1,
      vantage: "enterprise",
      evidence: [
        {
          endpointId: "web",
          probe: "tls",
          data: tls([{ protocol: "TLSv1", accepted: true }], false),
        },
      ],
    };
    const stopped = {
      sequence: 2,
      vantage: "enterprise",
      evidence: [{ endpointId: "web", probe: "tls", data: tls([], true) }],
    };
    const { observations, unreadable } = observationsOf([first, stopped]);
    expect(unreadable).toEqual([]);
    expect([...(observations.get("web")?.protocols ?? [])]).toEqual([
      ["TLSv1", true],
    ]);
    const whole = {
      sequence: 3,
      vantage: "enterprise",
      evidence: [
        {
          endpointId: "web",
          probe: "tls",
          data: tls([{ protocol: "TLSv1.3", accepted: true }], false),
        },
      ],
    };
    expect([
      ...(observationsOf([first, stopped, whole]).observations.get("web")
        ?.protocols ?? []),
    ]).toEqual([["TLSv1.3", true]]);
  });
});
