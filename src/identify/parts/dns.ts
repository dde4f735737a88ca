import { canonicalName, cloudEndpointOf } from "../../knowledge/cloud-endpoints.js";
import { str, type Push, type Why } from "./read.js";

/**
 * A `dns` observation (a query a client made, from a resolver's log): `dns.query` is the name in one form (lower
 * case, no trailing dot) for knowledge/fingerprints/cloud-dns.yaml, `dns.qtype` the record type. A name of a
 * restricted maker's cloud also gives a note saying which service it is: a DNS hit says the client talks to that
 * cloud (cloud P2P), not what model it is, so the auditor knows to confirm it by a scan.
 */
export function dnsParts(request: Record<string, unknown>, push: Push, why: Why): void {
  const raw = str(request.query);
  if (raw === undefined) return;
  const query = canonicalName(raw);
  if (!query) {
    why("query is not a DNS name: not read");
    return;
  }
  push("dns.query", query);
  const qtype = str(request.qtype);
  if (qtype && /^[A-Za-z0-9]{1,16}$/.test(qtype)) push("dns.qtype", qtype.toUpperCase());
  let cloud;
  try {
    cloud = cloudEndpointOf(query);
  } catch {
    // An unreadable endpoint list costs the note only; the rules still run.
    return;
  }
  if (cloud && cloud.role !== "vendor-web") {
    const who = cloud.brand ? `${cloud.brand} (${cloud.maker})` : cloud.maker;
    why(
      `cloud P2P: queried ${query}, ${cloud.service} (${cloud.role} endpoint of ${who}'s cloud); confirm the device by a scan`,
    );
  }
}
