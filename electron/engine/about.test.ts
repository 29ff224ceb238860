import { describe, expect, it } from "vitest";
import { BUILD_ID, instrumentInfo, operatingSystem } from "./about";

describe("the instrument a run records", () => {
  it("carries the git build compiled in, and the runtime it runs on", () => {
    // vite.shared.config.ts compiles the short commit in (tests run from a checkout with git).
    expect(BUILD_ID).toMatch(/^([0-9a-f]{7,}|unknown)$/);
    const instrument = instrumentInfo();
    expect(instrument.build).toBe(BUILD_ID);
    expect(instrument.node).toBe(process.version);
    expect(instrument.openssl).toBe(process.versions.openssl);
    expect(instrument.os).not.toBe("");
  });

  it.runIf(process.platform === "linux")(
    "names a Linux distribution by its name and version",
    () => {
      expect(
        operatingSystem(
          'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n',
        ),
      ).toBe("Debian 12");
      expect(operatingSystem('NAME="Ubuntu"\nVERSION_ID="24.04"\n')).toBe(
        "Ubuntu 24.04",
      );
      expect(operatingSystem("NAME=Arch\n")).toBe("Arch");
    },
  );
});
