// The laptop's network addresses, as the run preview shows them and VANTAGE.address judges them.
import { networkInterfaces } from "node:os";
import type { LaptopAddress } from "../../../shared/contract/run";

/** The laptop's addresses as the OS reports them. */
export function laptopAddresses(): LaptopAddress[] {
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
    (entries ?? []).map((entry) => ({
      interface: name,
      address: entry.address,
      family: entry.family,
      cidr: entry.cidr ?? "",
      internal: entry.internal,
    })),
  );
}
