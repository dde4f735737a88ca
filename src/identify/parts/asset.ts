import { str, type Push } from "./read.js";

/**
 * The fields of an asset-list row (an `asset` observation: a CMDB export as the organization wrote it) that say what
 * the device is, as `asset.<field>` parts. knowledge/fingerprints/asset*.yaml maps the organization's maker, brand
 * and type names onto the vocabulary; model, serial and firmware are taken as written.
 */
export const ASSET_FIELDS = [
  "manufacturer",
  "brand",
  "model",
  "serial",
  "firmware",
  "type",
  "hostname",
] as const;

export function assetParts(request: Record<string, unknown>, push: Push): void {
  for (const f of ASSET_FIELDS) {
    const v = str(request[f])?.trim();
    if (v) push(`asset.${f}`, v);
  }
}
