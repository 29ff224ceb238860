import { describe, expect, it } from "vitest";
import type { RunProgress } from "../../../shared/contract/run";
import type { Plan } from "../../../shared/model/plan";
import type { ProbeFamily } from "../../../shared/run-plan";
import { outcome } from "../../../shared/verdicts/outcome";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { createTestEngine } from "../../../test/support/engine";
import { TEMPLATE } from "../../../test/support/plan-arbitrary";
import { dispatch } from "../api/dispatch";
import { defaultProbes } from "../families/index";
import { vantageSetting } from "../../../shared/vantage-setting";
import type { FamilyProbe, FamilyProbes } from "../families/types";

const log = { error: (message: string) => console.error(message) };

/** The template with every placeholder filled in on loopback, and the perimeter cell's network. */
function filledPlan(): Plan {
  const plan = structuredClone(TEMPLATE);
  plan.endpoints.forEach((endpoint, i) => {
    endpoint.placeholder = false;
    if (endpoint.kind !== "manual") endpoint.host = `127.0.9.${i + 1}`;
  });
  plan.cells.find((c) => c.id === "perimeter")!.networks = ["127.0.0.0/8"];
  return plan;
}

function probesWith(
  overrides: Partial<Record<ProbeFamily, FamilyProbe>>,
): FamilyProbes {
  return { ...defaultProbes(), ...overrides };
}

const passAll: FamilyProbe = (target) =>
  Promise.resolve({
    evidence: [
      {
        probe: target.family,
        target: target.address,
        startedAt: new Date().toISOString(),
        durationMs: 3,
        data: { ok: true, raw: new Uint8Array([1, 2]) },
      },
    ],
    outcomes: target.checks.map((c) => outcome(c.id, "pass", `${c.id} passed`)),
  });

async function engineWith(probes: FamilyProbes) {
  const engine = createTestEngine({ probes });
  const events: RunProgress[] = [];
  engine.context.events.subscribe((event, payload) => {
    if (event === "run:progress") events.push(payload as RunProgress);
  });
  await engine.context.plans.create("Runner plant");
  const current = engine.context.plans.current()!;
  engine.context.plans.update(filledPlan(), current.revision);
  return { engine, events };
}

type TestEngine = Awaited<ReturnType<typeof engineWith>>["engine"];

/**
 * The TLS family failing tls.protocol, on a port that speaks no TLS (`absent`: plain HTTP) or with a measured fault
 * (TLS 1.0 accepted); its other checks pass.
 */
function tlsProtocolFails(absent: boolean): FamilyProbe {
  return (target) =>
    Promise.resolve({
      evidence: [],
      outcomes: target.checks.map((c) =>
        c.id.endsWith(".tls.protocol")
          ? outcome(
              c.id,
              "fail",
              absent ? "Plain HTTP here." : "TLS 1.0 accepted.",
            )
          : outcome(c.id, "pass", "fine"),
      ),
      absent: absent
        ? target.checks
            .filter((c) => c.id.endsWith(".tls.protocol"))
            .map((c) => c.id)
        : [],
    });
}

/** A family failing every check it is given with a finding of its own; `probed` collects the checks it was given. */
function failingFamily(probed: string[] = []): FamilyProbe {
  return (target) => {
    probed.push(...target.checks.map((c) => c.id));
    return Promise.resolve({
      evidence: [],
      outcomes: target.checks.map((c) =>
        outcome(c.id, "fail", "its own finding"),
      ),
    });
  };
}

/** The app's re-run of the path over HTTPS on the MES site, to its end: its progress counts one check. */
async function rerunVdirHttps(engine: TestEngine): Promise<void> {
  const rerun = await dispatch(
    engine.handlers,
    "run:start",
    {
      vantage: "perimeter",
      only: { checkId: "IIS-BIND.vdir.https", endpointId: "mes-site" },
    },
    log,
  );
  expect(rerun.ok && rerun.data.total).toBe(1);
  await engine.context.runner.idle();
}

describe("the runner", () => {
  it("previews every target of a vantage with the laptop's addresses and the VANTAGE.address verdict", async () => {
    const { engine } = await engineWith(probesWith({}));
    const answer = await dispatch(
      engine.handlers,
      "run:preview",
      { vantage: "perimeter" },
      log,
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.instruction).toBe(
      "Connect the laptop to the Perimeter cell.",
    );
    expect(answer.data.boundaries).toEqual(["PER-MES", "IIS-BIND"]);
    expect(
      answer.data.targets.map((t) => `${t.family} ${t.endpointId}`),
    ).toEqual([
      "tls mes-gateway",
      "mtls mes-gateway",
      "tls mes-site",
      "https mes-site",
      "http-plain mes-site",
    ]);
    expect(answer.data.addresses.some((a) => a.address === "127.0.0.1")).toBe(
      true,
    );
    expect(answer.data.vantageAddress.verdict).toBe("pass");
  });

  it("checks the vantage's source address against the laptop before a run: a loopback one binds, another is refused", async () => {
    const { engine } = await engineWith(probesWith({ tls: passAll }));
    const withSource = (sourceAddress: string) => {
      const current = engine.context.plans.current()!;
      const plan = structuredClone(current.plan);
      plan.vantages.find((v) => v.id === "perimeter")!.sourceAddress =
        sourceAddress;
      engine.context.plans.update(plan, current.revision);
    };
    withSource("127.0.2.9");
    const fine = await dispatch(
      engine.handlers,
      "run:preview",
      { vantage: "perimeter" },
      log,
    );
    expect(fine.ok && fine.data.problem).toBeNull();
    // A documentation address (TEST-NET-1): only a bind is tried, which fails; nothing is sent.
    withSource("192.0.2.77");
    const preview = await dispatch(
      engine.handlers,
      "run:preview",
      { vantage: "perimeter" },
      log,
    );
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.data.problem).toBe(
      "192.0.2.77 is not an address of this laptop: plug into the cell or correct the vantage (the perimeter vantage probes from it, for the Perimeter cell).",
    );
    expect(preview.data.vantageAddress).toEqual({
      verdict: "warn",
      message: preview.data.problem,
    });
    const started = await dispatch(
      engine.handlers,
      "run:start",
      { vantage: "perimeter" },
      log,
    );
    expect(started.ok).toBe(false);
    if (!started.ok) expect(started.error.message).toBe(preview.data.problem);
    expect(engine.context.plans.current()!.plan.runs).toEqual([]);
  });

  it("runs a vantage, records an append-only run with results and evidence, and reports progress", async () => {
    const { engine, events } = await engineWith(
      probesWith({
        tls: passAll,
        mtls: passAll,
        https: passAll,
        "http-plain": passAll,
      }),
    );
    const started = await dispatch(
      engine.handlers,
      "run:start",
      { vantage: "perimeter" },
      log,
    );
    if (!started.ok) throw new Error(started.error.message);
    expect(started.data.status).toBe("running");
    await engine.context.runner.idle();
    const plan = engine.context.plans.current()!.plan;
    expect(plan.runs).toHaveLength(1);
    const run = plan.runs[0]!;
    expect(run.status).toBe("completed");
    expect(run.vantage).toBe("perimeter");
    expect(run.results).toHaveLength(started.data.total);
    expect(
      run.results.every(
        (r) => r.verdict === "pass" && r.evidenceIds.length === 1,
      ),
    ).toBe(true);
    expect(run.evidence[0]?.data).toEqual({ ok: true, raw: "AQI=" });
    const last = events.at(-1)!;
    expect(last.status).toBe("completed");
    expect(last.done).toBe(last.total);
    expect(events.length).toBeLessThan(last.total + 3); // batched, not one event per check
    const boundaries = assessPlan(plan).boundaries.filter(
      (b) => b.boundary.id === "PER-MES" || b.boundary.id === "IIS-BIND",
    );
    expect(boundaries.map((b) => b.verdict)).toEqual(["pass", "pass"]);
  });

  it("appends a new run for a re-run of one check, leaving the earlier run as it was", async () => {
    const { engine } = await engineWith(
      probesWith({
        tls: passAll,
        mtls: passAll,
        https: passAll,
        "http-plain": passAll,
      }),
    );
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    await engine.context.runner.idle();
    const first = structuredClone(engine.context.plans.current()!.plan.runs[0]);
    await rerunVdirHttps(engine);
    const runs = engine.context.plans.current()!.plan.runs;
    expect(runs).toHaveLength(2);
    expect(runs[0]).toEqual(first);
    expect(runs[1]?.scope).toEqual({
      kind: "check",
      checkId: "IIS-BIND.vdir.https",
      endpointId: "mes-site",
    });
    expect(runs[1]?.results.map((r) => r.checkId)).toEqual([
      "IIS-BIND.vdir.https",
    ]);
  });

  it("turns checks whose prerequisite failed into not-tested: one fault, one failing check", async () => {
    const tls: FamilyProbe = (target) =>
      Promise.resolve({
        evidence: [],
        outcomes: target.checks.map((c) =>
          c.id === "ENT-PER.reach"
            ? outcome(c.id, "fail", "No answer.")
            : outcome(c.id, "fail", "would fail again"),
        ),
      });
    let httpsProbed = false;
    const https: FamilyProbe = (target) => {
      httpsProbed = true;
      return passAll(target, undefined as never);
    };
    const { engine } = await engineWith(
      probesWith({ tls, https, "http-plain": passAll, tcp: passAll }),
    );
    await dispatch(
      engine.handlers,
      "run:start",
      { vantage: "enterprise" },
      log,
    );
    await engine.context.runner.idle();
    const results = engine.context.plans.current()!.plan.runs[0]!.results;
    const verdict = (id: string) =>
      results.find((r) => r.checkId === id && r.endpointId === "perimeter-web");
    expect(verdict("ENT-PER.reach")?.verdict).toBe("fail");
    expect(verdict("ENT-PER.tls.protocol")).toMatchObject({
      verdict: "not-tested",
      reason: "prerequisite failed",
    });
    expect(verdict("ENT-PER.http.hsts")).toMatchObject({
      verdict: "not-tested",
      reason: "prerequisite failed",
    });
    expect(httpsProbed).toBe(false); // nothing sent for a check that could not be judged
    expect(verdict("ENT-PER.http.plain")?.verdict).toBe("pass");
    expect(results.filter((r) => r.verdict === "fail")).toHaveLength(1);
  });

  it("carries what an endpoint does not have from one family to the next: no TLS leaves the web and mTLS checks unjudged, a measured TLS fault does not", async () => {
    for (const tlsAbsent of [true, false]) {
      const failAll = failingFamily();
      const { engine } = await engineWith(
        probesWith({
          tls: tlsProtocolFails(tlsAbsent),
          mtls: failAll,
          https: failAll,
          "http-plain": passAll,
        }),
      );
      await dispatch(
        engine.handlers,
        "run:start",
        { vantage: "perimeter" },
        log,
      );
      await engine.context.runner.idle();
      const results = engine.context.plans.current()!.plan.runs[0]!.results;
      const of = (id: string, endpoint: string) =>
        results.find((r) => r.checkId === id && r.endpointId === endpoint);
      for (const [id, endpoint] of [
        ["IIS-BIND.vdir.https", "mes-site"],
        ["PER-MES.mtls.anonymous-refused", "mes-gateway"],
      ] as const)
        expect(
          [of(id, endpoint)?.verdict, of(id, endpoint)?.reason],
          `${id}, TLS ${tlsAbsent ? "absent" : "measured"}`,
        ).toEqual(
          tlsAbsent ? ["not-tested", "prerequisite failed"] : ["fail", ""],
        );
    }
  });

  it("re-runs one check with what it waits on: a port without TLS leaves it not tested, and only it is recorded", async () => {
    const probed: string[] = [];
    const failAll = failingFamily(probed);
    const { engine } = await engineWith(
      probesWith({
        tls: tlsProtocolFails(true),
        mtls: failAll,
        https: failAll,
        "http-plain": passAll,
      }),
    );
    await rerunVdirHttps(engine);
    const results = engine.context.plans.current()!.plan.runs[0]!.results;
    // As in a whole run: the TLS profile was measured first, and the path over HTTPS was not judged without TLS.
    expect(
      results.map((r) => [r.checkId, r.endpointId, r.verdict, r.reason]),
    ).toEqual([
      ["IIS-BIND.vdir.https", "mes-site", "not-tested", "prerequisite failed"],
    ]);
    expect(probed).toEqual([]);
  });

  it("stops at once: probes are aborted and what was not made is not-tested", async () => {
    const slow: FamilyProbe = (target, context) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            resolve({
              evidence: [],
              outcomes: target.checks.map((c) =>
                outcome(c.id, "pass", "slow pass"),
              ),
            }),
          10_000,
        );
        context.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("aborted"));
        });
      });
    const { engine, events } = await engineWith(
      probesWith({ tls: slow, mtls: slow, https: slow, "http-plain": slow }),
    );
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    const refused = await dispatch(
      engine.handlers,
      "run:start",
      { vantage: "perimeter" },
      log,
    );
    expect(refused.ok).toBe(false);
    await dispatch(engine.handlers, "run:stop", undefined, log);
    const run = engine.context.plans.current()!.plan.runs[0]!;
    expect(run.status).toBe("stopped");
    expect(
      run.results.every(
        (r) => r.verdict === "not-tested" && r.reason === "stopped",
      ),
    ).toBe(true);
    expect(events.at(-1)?.status).toBe("stopped");
    expect(
      (await dispatch(engine.handlers, "run:current", undefined, log)).ok,
    ).toBe(true);
  });

  it("judges nothing from a probe that Stop broke off, whatever it returned, and keeps what it saw", async () => {
    // A family that breaks off on Stop and returns what it had, with verdicts from half a probe.
    const breaksOff: FamilyProbe = (target, context) =>
      new Promise((resolve) => {
        context.signal.addEventListener("abort", () => {
          resolve({
            evidence: [
              {
                probe: target.family,
                target: target.address,
                startedAt: new Date().toISOString(),
                durationMs: 1,
                data: { paths: 1, of: 3 },
              },
            ],
            outcomes: target.checks.map((c) =>
              outcome(c.id, "pass", "passed on what was seen"),
            ),
          });
        });
      });
    const { engine } = await engineWith(
      probesWith({
        tls: breaksOff,
        mtls: breaksOff,
        https: breaksOff,
        "http-plain": breaksOff,
      }),
    );
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    await dispatch(engine.handlers, "run:stop", undefined, log);
    const run = engine.context.plans.current()!.plan.runs[0]!;
    expect(run.results.some((r) => r.verdict === "pass")).toBe(false);
    const interrupted = run.results.filter(
      (r) => r.message === "Stopped while this check was being made.",
    );
    expect(interrupted.length).toBeGreaterThan(0);
    expect(interrupted.every((r) => r.reason === "stopped")).toBe(true);
    expect(run.evidence.map((e) => e.data)).toContainEqual({ paths: 1, of: 3 });
  });

  it("records a probe that throws as not-tested with the reason, and goes on", async () => {
    const broken: FamilyProbe = () =>
      Promise.reject(new Error("socket hang up"));
    const { engine } = await engineWith(
      probesWith({
        tls: broken,
        mtls: passAll,
        https: passAll,
        "http-plain": passAll,
      }),
    );
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    await engine.context.runner.idle();
    const results = engine.context.plans.current()!.plan.runs[0]!.results;
    expect(
      results.find((r) => r.checkId === "PER-MES.tls.protocol"),
    ).toMatchObject({
      verdict: "not-tested",
      reason: "probe failed",
      message: "The tls probe failed: socket hang up",
    });
    expect(
      results.find((r) => r.checkId === "IIS-BIND.vdir.https")?.verdict,
    ).toBe("pass");
  });

  it("keeps only the target's checks from a probe's outcomes and records the ones it left out as not judged", async () => {
    const partial: FamilyProbe = (target) =>
      Promise.resolve({
        evidence: [],
        outcomes: [
          outcome("APP-DB.tds.cert", "fail", "not this target's check"),
          ...target.checks
            .filter((c) => c.id !== "PER-MES.tls.protocol")
            .map((c) => outcome(c.id, "pass", "ok")),
        ],
      });
    const { engine } = await engineWith(
      probesWith({
        tls: partial,
        mtls: passAll,
        https: passAll,
        "http-plain": passAll,
      }),
    );
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    await engine.context.runner.idle();
    const results = engine.context.plans.current()!.plan.runs[0]!.results;
    expect(results.some((r) => r.checkId === "APP-DB.tds.cert")).toBe(false);
    expect(
      results.filter((r) => r.checkId === "PER-MES.tls.protocol"),
    ).toMatchObject([
      {
        verdict: "not-tested",
        reason: "not judged",
        message: "The tls probe gave no verdict for this check.",
      },
    ]);
    expect(
      results.find((r) => r.checkId === "PER-MES.tls.suites")?.verdict,
    ).toBe("pass");
  });

  it("does not probe the template's placeholders", async () => {
    const engine = createTestEngine({ probes: probesWith({ tls: passAll }) });
    await engine.context.plans.create("Placeholder plant");
    await dispatch(engine.handlers, "run:start", { vantage: "perimeter" }, log);
    await engine.context.runner.idle();
    const results = engine.context.plans.current()!.plan.runs[0]!.results;
    expect(
      results.every(
        (r) => r.verdict === "not-tested" && r.reason === "not configured",
      ),
    ).toBe(true);
  });
});

describe("where a vantage probes from", () => {
  const card = (
    iface: string,
    address: string,
    family: "IPv4" | "IPv6" = "IPv4",
  ) => ({ interface: iface, address, family, cidr: "", internal: false });
  const laptop = [
    card("wlan0", "192.0.2.44"),
    card("eth1", "fd00::7", "IPv6"),
    card("eth1", "198.51.100.9"),
    card("eth1", "10.20.0.15"),
  ];
  const planWith = (vantage: {
    interface?: string;
    sourceAddress?: string;
  }) => {
    const plan = filledPlan();
    plan.cells.find((c) => c.id === "perimeter")!.networks = ["10.20.0.0/24"];
    const perimeter = plan.vantages.find((v) => v.id === "perimeter")!;
    Object.assign(perimeter, vantage);
    return plan;
  };

  it("binds the interface's address that lies in the cell, and judges VANTAGE.address by it", () => {
    const setting = vantageSetting(
      planWith({ interface: "eth1" }),
      "perimeter",
      laptop,
    );
    expect(setting.localAddress).toBe("10.20.0.15");
    expect(setting.vantageAddress.verdict).toBe("pass");
    expect(setting.problem).toBeNull();
  });

  it("refuses a network card the laptop does not have even when a source address is named", () => {
    const setting = vantageSetting(
      planWith({ interface: "eth9", sourceAddress: "10.20.0.15" }),
      "perimeter",
      laptop,
    );
    expect(setting.problem).toMatch(
      /^The network interface "eth9" that the plan names for the perimeter vantage is not on this laptop/,
    );
  });

  it("lets a source address win over the interface", () => {
    const setting = vantageSetting(
      planWith({ interface: "eth1", sourceAddress: "192.0.2.44" }),
      "perimeter",
      laptop,
    );
    expect(setting.localAddress).toBe("192.0.2.44");
    expect(setting.vantageAddress.verdict).toBe("warn");
  });

  it("takes the first IPv4 address of an interface outside the cell, and warns", () => {
    const setting = vantageSetting(
      planWith({ interface: "wlan0" }),
      "perimeter",
      laptop,
    );
    expect(setting.localAddress).toBe("192.0.2.44");
    expect(setting.vantageAddress.verdict).toBe("warn");
  });

  it("never falls back to a link-local IPv6 address, which cannot be bound without its scope", () => {
    const setting = vantageSetting(
      planWith({ interface: "eth2" }),
      "perimeter",
      [
        card("eth2", "fe80::1c2d:3eff:fe4f:5061", "IPv6"),
        card("eth2", "fd00:20::15", "IPv6"),
      ],
    );
    expect(setting.localAddress).toBe("fd00:20::15");
  });

  it("refuses to run from an interface this laptop does not have, saying which it has", async () => {
    const setting = vantageSetting(
      planWith({ interface: "eth9" }),
      "perimeter",
      laptop,
    );
    expect(setting.problem).toBe(
      'The network interface "eth9" that the plan names for the perimeter vantage is not on this laptop (it has wlan0, eth1): plug in that network card, or change the vantage\'s interface in the plan.',
    );
    expect(setting.vantageAddress).toEqual({
      verdict: "warn",
      message: setting.problem,
    });
    const { engine } = await engineWith(probesWith({ tls: passAll }));
    const current = engine.context.plans.current()!;
    engine.context.plans.update(
      planWith({ interface: "eth9" }),
      current.revision,
    );
    const answer = await dispatch(
      engine.handlers,
      "run:start",
      { vantage: "perimeter" },
      log,
    );
    if (answer.ok) throw new Error("the run started");
    expect(answer.error.message).toMatch(
      /^The network interface "eth9" that the plan names for the perimeter vantage is not on this laptop/,
    );
    expect(engine.context.plans.current()!.plan.runs).toHaveLength(0);
  });
});
