import { verifyKnowledge } from "../../identify/index.js";
import { err, out } from "../output.js";

export async function kbVerifyCommand(dir?: string): Promise<number> {
  const issues = verifyKnowledge(dir);
  for (const i of issues) err(`${i.file}${i.rule ? ` [${i.rule}]` : ""}: ${i.message}`);
  out(issues.length ? `${issues.length} problems` : "knowledge base OK");
  return issues.length ? 1 : 0;
}
