import { describe, expect, it } from "vitest";
import { captureIo, helpAndUsageCases, printed } from "../../test/support/cli";
import { runCli } from "./program";

const cases = helpAndUsageCases();

describe("the declared commands", () => {
  it("read the pinned cases: every --help of DESIGN §8 and the usage errors", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const helps = cases.filter((c) => c.argv.at(-1) === "--help");
    expect(helps.map((c) => c.argv.slice(0, -1).join(" ")).sort()).toEqual(
      [
        "",
        "certify",
        "check-plan",
        "demo",
        "diff",
        "new",
        "probe",
        "probe firewall",
        "probe http",
        "probe https",
        "probe mssql",
        "probe mtls",
        "probe opcua",
        "probe tcp",
        "probe tls",
        "run",
        "serve",
        "verify",
      ].sort(),
    );
  });

  // Pinned from the build before commands were loaded lazily: the help and the usage errors did not change.
  it.each(cases.map((c) => [c.argv.join(" ") || "(no arguments)", c] as const))(
    "cellcert %s prints what it printed before, with the same exit code",
    async (_, { argv, exitCode, stdout, stderr }) => {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(exitCode);
      expect(printed(io.out)).toBe(stdout);
      expect(printed(io.err)).toBe(stderr);
    },
  );
});
