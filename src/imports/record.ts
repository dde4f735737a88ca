import type { Observation } from "../observations/observation.js";
import type { FormatReport } from "./formats/read-report.js";

/**
 * What one source row says about one device, as every import format yields it: the identity keys it carries and
 * what it said, as observations (the same contract scans produce, so identification reads imports and scans alike).
 * The importer merges records into devices by MAC, serial, then (site, address).
 */
export interface ImportRecord {
  /** 1-based line (text formats) or row (spreadsheets) of the source the record came from */
  line: number;
  /** canonical IP address (ipaddr.js form) */
  address?: string;
  /** lower-case aa:bb:cc:dd:ee:ff */
  mac?: string;
  hostname?: string;
  serial?: string;
  /** what the row said; each observation's target is the address (or hostname), request.line the row */
  observations: Observation[];
}

/** A row that could not be read: named by line and, where it applies, field. */
export interface ImportError {
  line: number;
  field?: string;
  message: string;
}

export type ImportItem = { record: ImportRecord } | { error: ImportError };

export interface ImportReadOptions {
  /** CSV/XLSX column mapping: camsweep field -> the file's column header */
  columns?: Record<string, string>;
  signal?: AbortSignal;
  /** filled in by the format as it reads: the encoding it chose, what it dropped (formats/read-report.ts) */
  report?: FormatReport;
}

/**
 * One source format. `read` streams the file (never whole into memory) and yields records and row errors in file
 * order; it throws only when the file as a whole cannot be read (missing, not this format), with a message naming
 * the file.
 */
export interface ImportFormat {
  /** the FORMAT word of `camsweep import FORMAT FILE` */
  id: string;
  description: string;
  read(file: string, opts?: ImportReadOptions): AsyncIterable<ImportItem>;
}
