import { z } from "zod";

/** Fields that requests to the API share. */

export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "an id: lower-case letters, digits and -");

/** A line of text a person types into a filter: no control characters (a NUL would reach the database). */
export const FilterText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");

/** A calendar day a person gives. */
export const Day = z.iso.date("a day, YYYY-MM-DD");
