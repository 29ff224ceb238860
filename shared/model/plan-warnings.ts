// What a valid plan should still make the engineer look at before probing (warnings, never errors): cell networks
// that overlap, so the laptop's address cannot tell the cells apart (VANTAGE.address), and an mTLS endpoint with
// no client identity, whose PER-MES.mtls.identity-accepted cannot be judged (template placeholders are flagged as
// placeholders already). The UI shows them at setup beside the field the pointer names; `check-plan` prints them.
import { networksOverlap, parseCidr } from "./net";
import type { PlanProblem } from "./parse-plan";
import type { Plan } from "./plan";

export function planWarnings(plan: Plan): PlanProblem[] {
  const warnings: PlanProblem[] = [];
  const networks = plan.cells.flatMap((cell, cellIndex) =>
    cell.networks.flatMap((text, networkIndex) => {
      const network = parseCidr(text);
      return network === null
        ? []
        : [{ cell, cellIndex, networkIndex, text, network }];
    }),
  );
  networks.forEach((a, i) => {
    for (const b of networks.slice(i + 1)) {
      if (a.cell.id === b.cell.id || !networksOverlap(a.network, b.network))
        continue;
      warnings.push({
        pointer: `/cells/${b.cellIndex}/networks/${b.networkIndex}`,
        reason: `${b.text} of the ${b.cell.name} cell overlaps ${a.text} of the ${a.cell.name} cell: Cellcert cannot tell from the laptop's address which of the two it is plugged into. Give each cell its own network.`,
      });
    }
  });
  plan.endpoints.forEach((endpoint, index) => {
    if (
      endpoint.kind === "mtls-https" &&
      endpoint.retired !== true &&
      !endpoint.placeholder &&
      endpoint.clientIdentityId === undefined
    )
      warnings.push({
        pointer: `/endpoints/${index}/clientIdentityId`,
        reason: `"${endpoint.name}" requires client certificates but has no client identity: import the client identity the perimeter presents, or PER-MES.mtls.identity-accepted cannot be judged.`,
      });
  });
  return warnings;
}
