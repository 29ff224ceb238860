// Where a vantage probes from (DESIGN §1 "vantage"): its cell, the source address bound and the VANTAGE.address
// verdict, read one way for the run preview and the run alike.
import type { LaptopAddress } from "./contract/run";
import type { Plan, Run } from "./model/plan";
import type { VantageId } from "./plant-words";
import { judgeVantageAddress } from "./verdicts/vantage-address";

const VANTAGE_CELL_KIND: Record<VantageId, string> = {
  enterprise: "enterprise",
  perimeter: "perimeter",
  mes: "mes",
  "remote-site": "remote-site",
  "remote-site-no-vpn": "remote-site",
};

/** Where a vantage probes from: its cell, the source address bound, and the VANTAGE.address verdict. */
export interface VantageSetting {
  cellName: string;
  /** The address probes bind: the vantage's source address, or the address of its network interface. */
  localAddress: string | undefined;
  vantageAddress: Run["vantageAddress"];
  /** Why no run may start from here (the plan's interface is not on this laptop), or null. */
  problem: string | null;
}

/**
 * The one reading of a vantage's settings, for the preview and the run alike. The cell is the vantage's
 * configured cell, else the plan's cell of the vantage's kind. A source address wins over an interface; an
 * interface stands for its address (one in the cell's networks if it has several, else its first IPv4).
 */
export function vantageSetting(
  plan: Plan,
  vantage: VantageId,
  addresses: readonly LaptopAddress[],
): VantageSetting {
  const configured = plan.vantages.find((v) => v.id === vantage);
  const cell =
    plan.cells.find((c) => c.id === configured?.cell) ??
    plan.cells.find((c) => c.kind === VANTAGE_CELL_KIND[vantage]);
  const cellName = cell?.name ?? vantage;
  const judged = (localAddress: string | undefined) =>
    judgeVantageAddress(
      cell ?? { name: cellName, networks: [] },
      addresses,
      localAddress,
    );
  const name = configured?.interface;
  const missingCard =
    name !== undefined && !addresses.some((a) => a.interface === name)
      ? `The network interface "${name}" that the plan names for the ${vantage} vantage is not on this laptop (it has ${[...new Set(addresses.map((a) => a.interface))].join(", ") || "none"}): plug in that network card, or change the vantage's interface in the plan.`
      : null;
  if (missingCard !== null) {
    return {
      cellName,
      localAddress: configured?.sourceAddress,
      vantageAddress: { verdict: "warn", message: missingCard },
      problem: missingCard,
    };
  }
  if (configured?.sourceAddress !== undefined || name === undefined) {
    const localAddress = configured?.sourceAddress;
    return {
      cellName,
      localAddress,
      vantageAddress: judged(localAddress),
      problem: null,
    };
  }
  const own = addresses.filter((a) => a.interface === name);
  const inCell = own.find((a) => judged(a.address).verdict === "pass");
  // A link-local IPv6 address cannot be bound without its scope: never the fallback.
  const chosen =
    inCell ??
    own.find((a) => a.family === "IPv4") ??
    own.find((a) => !/^fe[89ab]/i.test(a.address));
  const localAddress = chosen?.address;
  return {
    cellName,
    localAddress,
    vantageAddress: judged(localAddress),
    problem: null,
  };
}
