// `npm run seed`: wipe the database and build the demo community again.
import { prisma } from "~/utils/db.server";
import { migrateDatabase } from "../server/migrate";
import { DEMO_PASSWORD, seedDemo, wipe } from "./seed";

await migrateDatabase();
await wipe();
await seedDemo();
console.log(`Seeded the demo community. Every demo account's password is ${DEMO_PASSWORD}.`);
await prisma.$disconnect();
