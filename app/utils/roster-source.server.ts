// Where a roster comes from in a request: one uploaded file, or rows sent as JSON.
import type { RosterSource } from "~/models/roster-import.server";
import type { RosterTable } from "~/models/roster-import";
import { InputRejected } from "./errors";

export async function rosterSourceOf(files: File[], rows: RosterTable | undefined): Promise<RosterSource> {
  const file = files[0];
  if (file) return { name: file.name || "roster", bytes: new Uint8Array(await file.arrayBuffer()) };
  if (rows) return { table: rows };
  throw new InputRejected("file", "errors.rosterFileRequired");
}
