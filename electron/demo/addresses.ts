// The practice plant's loopback addressing (DESIGN §9): every cell on its own 127.0.N.0/24,
// so vantages probe from their cell's address and servers can refuse sources a firewall would block.
import type { CellKind } from "../../shared/plant-words";

/** The practice plant's ports are this base plus 80, 318, 443, 1433, 3389, 4840 and 8443, unless told otherwise. */
export const DEFAULT_PORT_BASE = 20_000;

export const PRACTICE_CELL_SUBNETS: Readonly<Record<CellKind, number>> = {
  enterprise: 1,
  perimeter: 2,
  mes: 3,
  "process-control": 4,
  database: 5,
  external: 6,
  "remote-site": 7,
};

/** The address of host `hostNumber` (1–254) in a cell of the practice plant, e.g. 127.0.3.10 in the MES cell. */
export function practiceAddress(cell: CellKind, hostNumber: number): string {
  if (!Number.isInteger(hostNumber) || hostNumber < 1 || hostNumber > 254) {
    throw new RangeError(
      `A practice host number is 1 to 254, not ${hostNumber}.`,
    );
  }
  return `127.0.${PRACTICE_CELL_SUBNETS[cell]}.${hostNumber}`;
}

/** The cell's network as CIDR, for the practice plan. */
export function practiceNetwork(cell: CellKind): string {
  return `127.0.${PRACTICE_CELL_SUBNETS[cell]}.0/24`;
}
