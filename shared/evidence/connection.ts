// How one connection attempt ended, as every probe records it (DESIGN §2): refused and filtered are
// measurements where "closed" is wanted; DNS failure and unreachable mean nothing could be judged.
import { z } from "zod";
import { connectionStates } from "./connection-states";

export {
  connectFailures,
  connectionStates,
  type ConnectFailure,
} from "./connection-states";
export const ConnectionState = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof ConnectionState>;
