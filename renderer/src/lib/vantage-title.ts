// What each step of the walk is called, in the stepper and the step's heading.
import type { VantageId } from "../../../shared/plant-words";

const VANTAGE_TITLES: Record<VantageId, string> = {
  enterprise: "Enterprise cell",
  perimeter: "Perimeter cell",
  mes: "MES cell",
  "remote-site": "Remote site",
  "remote-site-no-vpn": "Remote site, VPN down",
};

/** "Perimeter cell", "Remote site", "Remote site, VPN down": the step's name in the stepper and headings. */
export function vantageTitle(vantage: VantageId, cellName?: string): string {
  if (vantage === "remote-site-no-vpn") return VANTAGE_TITLES[vantage];
  if (vantage === "remote-site") return cellName ?? VANTAGE_TITLES[vantage];
  return cellName === undefined ? VANTAGE_TITLES[vantage] : `${cellName} cell`;
}
