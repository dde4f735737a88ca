/** Size limits of the vulnerability data and of the feed files read to update it. */

/** Largest feed file read (the CISA KEV catalogue is about 1.3 MB; an NVD API page of 2,000 CVEs is tens of MB). */
export const MAX_FEED_BYTES = 64 * 1024 * 1024;
/** Largest vulnerability knowledge file read (bundled or the user's updated copy). */
export const MAX_KB_BYTES = 16 * 1024 * 1024;
/** Longest model pattern. */
export const MAX_MODEL_PATTERN = 64;
/** CPE product names kept as the description of a new NVD entry's family. */
export const MAX_CPE_PRODUCTS_KEPT = 20;
