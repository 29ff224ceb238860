// VANTAGE.address (DESIGN §4): evidence from the wrong cell is worthless, so every run records whether the
// laptop stands in the vantage's cell — at least one of its addresses lies in the cell's networks.
import { addressInNetwork, parseCidr, type Network } from "../model/net";
import type { Cell, Run } from "../model/plan";

export interface LaptopAddressInput {
  interface: string;
  address: string;
}

export function judgeVantageAddress(
  cell: Pick<Cell, "name" | "networks">,
  addresses: readonly LaptopAddressInput[],
  sourceAddress?: string,
): Run["vantageAddress"] {
  const networks = cell.networks
    .map(parseCidr)
    .filter((n): n is Network => n !== null);
  if (networks.length === 0) {
    return {
      verdict: "warn",
      message: `The ${cell.name} cell has no networks in the plan, so Cellcert cannot tell whether the laptop stands in it; add its networks (CIDR).`,
    };
  }
  const candidates =
    sourceAddress === undefined
      ? addresses.map((a) => a.address)
      : [sourceAddress];
  const inside = candidates.find((address) =>
    networks.some((network) => addressInNetwork(address, network)),
  );
  if (inside !== undefined) {
    return {
      verdict: "pass",
      message: `${inside} lies in the ${cell.name} cell (${cell.networks.join(", ")}).`,
    };
  }
  const shown = candidates.length === 0 ? "no address" : candidates.join(", ");
  return {
    verdict: "warn",
    message: `None of the laptop's addresses (${shown}) lies in the ${cell.name} cell's networks (${cell.networks.join(", ")}): plug into that cell before trusting this run's evidence.`,
  };
}
