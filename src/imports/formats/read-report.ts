import type { ImportReadOptions } from "../record.js";

/**
 * What a format says about a file beyond its records and row errors: the encoding it chose for an asset list, and
 * for DNS logs how many lines were read and how many queries were dropped because they name no camera cloud (a
 * resolver's log has millions). A caller that wants it passes `report` with the read options.
 */
export interface FormatReport {
  /** the text encoding chosen and why ("Windows-1252 (not UTF-8: ...)") */
  encoding?: string;
  /** lines read */
  lines?: number;
  /** DNS queries read */
  queries?: number;
  /** DNS queries of no known camera cloud: dropped */
  dropped?: number;
  /** repeats of a (client, name, type) already yielded: dropped */
  repeats?: number;
  /** lines that are not queries (replies, forwards, cache lines, comments): skipped */
  other?: number;
}

export function reportOf(opts?: ImportReadOptions): FormatReport | undefined {
  return opts?.report;
}
