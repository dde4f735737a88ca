import type { z } from "zod";
import type { ListedRecord } from "../../inventory/device-list.js";
import type { Device } from "../../shared/wire/devices.js";

/** A device on the wire, field by field (so a new column never leaks by accident): the list's and the page's. */
export function presentDevice(
  d: ListedRecord,
  status: z.input<typeof Device>["status"],
  workflow: z.input<typeof Device>["workflow"],
): z.input<typeof Device> {
  return {
    id: d.id,
    address: d.address,
    hostname: d.hostname,
    mac: d.mac,
    serial: d.serial,
    manufacturer: d.manufacturer,
    brand: d.brand,
    model: d.model,
    firmware: d.firmware,
    deviceType: d.deviceType,
    restricted: d.restricted,
    confidence: d.confidence,
    siteId: d.siteId,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    status,
    workflow,
  };
}
