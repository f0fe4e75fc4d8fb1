// `npm run setup -- --community 幸福里社区 --slug xingfuli --username admin --name 王芳 [--phone 13800000001] [--city 银川市] [--district 金凤区]`
// `npm run setup -- --district-admin --district 金凤区 --city 银川市 --username jiedao --name 金凤区街道办 [--phone …]`: a street
// office's super-user (docs/decisions/0009-district-super-user.md), who then creates communities at /district; communities
// already set up with the same district and city come under it. An existing --username is made super-user (no new password).
// `npm run setup -- --deployment-overseer --username shi --name 市级看板 [--revoke]`: the person who reads the whole
// deployment's dashboard at /dashboard (every street office; nothing else). An existing --username keeps their password.
// First-run setup from the server's shell (the same as /setup, without the setup code:
// whoever runs this has the machine). The password comes from YISHI_SETUP_PASSWORD, or a
// strong one is generated and printed once; never put it on the command line (shell history).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { SetupRefused, createFirstAccount } from "~/models/setup.server";
import { createDistrictSuperUser, setDeploymentOverseer } from "~/models/district.server";
import { translator } from "~/i18n";
import { prisma } from "~/utils/db.server";
import { setupSchema } from "~/utils/schemas";
import { migrateDatabase } from "../server/migrate";

const { values } = parseArgs({
  options: {
    community: { type: "string" },
    slug: { type: "string" },
    username: { type: "string" },
    name: { type: "string" },
    phone: { type: "string" },
    city: { type: "string" },
    district: { type: "string" },
    "district-admin": { type: "boolean" },
    "deployment-overseer": { type: "boolean" },
    revoke: { type: "boolean" },
  },
});
const t = translator(/^en/i.test(process.env.LANG ?? "") ? "en" : "zh-CN");
const generated = !process.env.YISHI_SETUP_PASSWORD;
const password = process.env.YISHI_SETUP_PASSWORD ?? randomBytes(12).toString("base64url");
if (values["district-admin"]) await districtAdmin();
if (values["deployment-overseer"]) await deploymentOverseer();
const parsed = setupSchema.safeParse({
  code: "cli-setup",
  communityName: values.community,
  slug: values.slug,
  username: values.username,
  displayName: values.name ?? values.username,
  phone: values.phone ?? "",
  city: values.city ?? "",
  district: values.district ?? "",
  password,
});
if (!parsed.success) {
  const flag: Record<string, string> = { communityName: "community", displayName: "name", password: "YISHI_SETUP_PASSWORD" };
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "");
    console.error(`${field === "password" ? "" : "--"}${flag[field] ?? field}: ${t(issue.message)}`);
  }
  console.error(
    "usage: npm run setup -- --community <name> --slug <short-name> --username <username> [--name <display name>] [--phone <mobile>] [--city …] [--district …]",
  );
  process.exit(2);
}
await migrateDatabase();
try {
  const { code: _code, ...input } = parsed.data;
  await createFirstAccount(input, null);
  console.log(`Created ${input.communityName} (${input.slug}) and the community-staff account ${input.username}.`);
  if (generated) console.log(`Its password (shown only now: keep it safe): ${password}`);
} catch (error) {
  if (error instanceof SetupRefused) {
    console.error(t(error.key));
    process.exit(1);
  }
  throw error;
} finally {
  await prisma.$disconnect();
}

async function districtAdmin(): Promise<never> {
  const parsed = setupSchema.pick({ district: true, city: true, username: true, displayName: true, phone: true, password: true }).safeParse({
    district: values.district,
    city: values.city ?? "",
    username: values.username,
    displayName: values.name ?? values.username,
    phone: values.phone ?? "",
    password,
  });
  if (!parsed.success || !parsed.data.district) {
    for (const issue of parsed.error?.issues ?? []) console.error(`--${String(issue.path[0] ?? "")}: ${t(issue.message)}`);
    console.error(
      "usage: npm run setup -- --district-admin --district <街道/区> [--city <市>] --username <username> [--name <display name>] [--phone <mobile>]",
    );
    process.exit(2);
  }
  await migrateDatabase();
  try {
    const input = parsed.data;
    const made = await createDistrictSuperUser({ ...input, password });
    console.log(
      made.created
        ? `Created the super-user ${input.username} of ${input.city}${input.district} (${made.linked} existing communities linked).`
        : `${input.username} is now the super-user of ${input.city}${input.district} (${made.linked} existing communities linked); their password is unchanged.`,
    );
    if (made.created && generated) console.log(`Its password (shown only now: keep it safe): ${password}`);
  } finally {
    await prisma.$disconnect();
  }
  process.exit(0);
}

async function deploymentOverseer(): Promise<never> {
  const parsed = setupSchema.pick({ username: true, displayName: true, phone: true, password: true }).safeParse({
    username: values.username,
    displayName: values.name ?? values.username,
    phone: values.phone ?? "",
    password,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${String(issue.path[0] ?? "")}: ${t(issue.message)}`);
    console.error("usage: npm run setup -- --deployment-overseer --username <username> [--name <display name>] [--phone <mobile>] [--revoke]");
    process.exit(2);
  }
  await migrateDatabase();
  try {
    const made = await setDeploymentOverseer({ ...parsed.data, password, revoke: values.revoke });
    console.log(
      values.revoke
        ? `${parsed.data.username} no longer oversees the deployment.`
        : made.created
          ? `Created ${parsed.data.username}, who reads the whole deployment's dashboard at /dashboard.`
          : `${parsed.data.username} now reads the whole deployment's dashboard at /dashboard; their password is unchanged.`,
    );
    if (made.created && generated) console.log(`Its password (shown only now: keep it safe): ${password}`);
  } finally {
    await prisma.$disconnect();
  }
  process.exit(0);
}
