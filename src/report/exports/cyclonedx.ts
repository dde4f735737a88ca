import { randomUUID } from "node:crypto";
import type { ReportDevice, ReportModel } from "../document/model.js";
import { cleanText } from "./cells.js";

/**
 * The inventory as a CycloneDX 1.6 JSON BOM (ECMA-424): one `device` component per device, for asset and supply-chain
 * tools. Checked against bom-1.6.schema.json: `device` is in component.type's enum, `manufacturer` is an
 * organizationalEntity (new in 1.6), tools take the object form with `components`, `version` is at most 1024
 * characters (cleanText's cap), property names are free text (`camsweep:` is our namespace). JSON.stringify escapes
 * the text; cleanText still marks control characters and lone surrogates, which some JSON parsers reject.
 */

export interface CdxProperty {
  name: string;
  value: string;
}

export interface CdxComponent {
  type: "application" | "device";
  "bom-ref"?: string;
  name: string;
  version?: string;
  manufacturer?: { name: string };
  properties?: CdxProperty[];
}

export interface CycloneDxBom {
  bomFormat: "CycloneDX";
  specVersion: "1.6";
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
  };
  components: CdxComponent[];
}

function properties(d: ReportDevice): CdxProperty[] {
  const pairs: [string, string | number | null][] = [
    ["address", d.address],
    ["hostname", d.hostname],
    ["mac", d.mac],
    ["serial", d.serial],
    ["brand", d.brand],
    ["deviceType", d.deviceType],
    ["status", d.status],
    ["risk", d.risk],
    ["kev", d.kev],
    ["workflow", d.workflow],
    ["site", d.siteName],
    ["organization", d.organizationName],
    ["policies", d.policies.length ? d.policies.join(" ") : null],
  ];
  return pairs.flatMap(([k, v]) =>
    v === null ? [] : [{ name: `camsweep:${k}`, value: cleanText(String(v)) }],
  );
}

function component(d: ReportDevice): CdxComponent {
  return {
    type: "device",
    "bom-ref": d.id,
    name: cleanText(d.model ?? "unknown device"),
    ...(d.manufacturer !== null && { manufacturer: { name: cleanText(d.manufacturer) } }),
    ...(d.firmware !== null && { version: cleanText(d.firmware) }),
    properties: properties(d),
  };
}

/** A new serial number each call: the spec asks every generated BOM to have its own. */
export function devicesCycloneDx(model: ReportModel, tool: { version: string }): CycloneDxBom {
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: model.generatedAt,
      tools: { components: [{ type: "application", name: "camsweep", version: tool.version }] },
    },
    components: model.devices.map(component),
  };
}
