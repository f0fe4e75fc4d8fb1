// `npm run db:migrate` (and the Compose file's one-shot `migrate` service): brings the
// database DATABASE_URL names up to date and exits. Nodes also migrate at start, under
// the same lock, so running this first only keeps them from waiting on each other.
import { migrateDatabase } from "./migrate";

const { applied } = await migrateDatabase();
console.log(applied.length ? `[db] applied migrations: ${applied.join(", ")}` : "[db] already up to date");
