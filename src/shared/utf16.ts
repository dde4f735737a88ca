/** UTF-16 text of mostly ASCII has a NUL in every other byte: on the odd side (LE) or the even side (BE). */
export function utf16Side(head: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = head.length - (head.length % 2);
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.6 && even < pairs * 0.05) return "utf-16le";
  if (even > pairs * 0.6 && odd < pairs * 0.05) return "utf-16be";
  return undefined;
}
