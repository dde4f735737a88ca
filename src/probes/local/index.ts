import { DISCOVERY } from "../discovery/table.js";
import { listen as listenOn, type ListenOptions, type ListenResult } from "./listen.js";
import {
  localDiscovery as discoverOn,
  type LocalDiscoveryOptions,
  type LocalDiscoveryResult,
} from "./send.js";

export type { LocalDiscoveryOptions, LocalDiscoveryResult, LocalReply, SentDatagram } from "./send.js";
export type { ListenOptions, ListenResult, Listening, ListenFailure } from "./listen.js";
export { replyObservation } from "./send.js";
export { resolveInterface, onLink, type LocalInterface } from "./interface.js";
export { DEFAULT_CAPS, type Caps } from "./caps.js";

type WithDefaultProtocols<T extends { protocols: unknown }> = Omit<T, "protocols"> &
  Partial<Pick<T, "protocols">>;

/** Local discovery on a named interface (send.ts) with every protocol of the discovery table by default. */
export function localDiscovery(
  o: WithDefaultProtocols<LocalDiscoveryOptions>,
): Promise<LocalDiscoveryResult> {
  return discoverOn({ ...o, protocols: o.protocols ?? DISCOVERY });
}

/** Passive listening on a named interface (listen.ts) for every protocol of the discovery table by default. */
export function listen(o: WithDefaultProtocols<ListenOptions>): Promise<ListenResult> {
  return listenOn({ ...o, protocols: o.protocols ?? DISCOVERY });
}
