// /api/v1 endpoints of the dashboard (看板), the property-company scorecard (物业考评) and the
// scheduled jobs' log. Spread into `api` in contract.ts.
import { z } from "zod";
import { endpoint } from "~/utils/api.server";
import { idSchema } from "~/utils/schemas";
import { FIGURE_KEYS, PERIOD_KEY } from "~/models/dashboard.server";

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const date = z.string().describe("ISO 8601 date-time");
const period = z
  .string()
  .regex(PERIOD_KEY, "errors.dateInvalid")
  .optional()
  .describe('A Beijing-time period: a year "2026", a quarter "2026-Q4" or a month "2026-11" (default: this year)');
const figure = z.object({
  key: z.enum(FIGURE_KEYS),
  value: z.number().nullable().describe("Rates are fractions (0.968); null when there is nothing to divide by"),
  kind: z.enum(["rate", "number", "count"]),
  definition: z.string().describe("The page that defines the figure"),
  list: z.string().nullable().describe("The topic board or task list filtered to what it counts"),
});
const cell = z.union([z.string(), z.number(), z.null()]);
const table = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(["label", "count", "rate", "number"]) })),
  rows: z.array(z.array(cell)),
});
const weights = z.object({
  onTime: z.number().min(0).max(1),
  reopen: z.number().min(0).max(1),
  rating: z.number().min(0).max(1),
  response: z.number().min(0).max(1),
});

/** What an overseer reads over many communities: a street office's, or the whole deployment's. */
const overseerView = z.object({
  period: z.object({ key: z.string(), from: date, to: date }),
  figures: z.array(figure),
  tables: z.array(table),
  communities: z.array(z.object({ slug: z.string(), name: z.string() })),
});

export const dashboardApi = {
  dashboard: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/dashboard",
    summary:
      "A community's dashboard figures for a period (topics raised, taken on, 前店, 后厂; tasks opened, closed, on time, overdue, sent back; response, close, on-time, solved and satisfaction rates; average rating and days to close), optionally narrowed to a grid, an organisation or a category, with the trend by month and the breakdowns by category, grid and organisation. Counted from stored events; any member of the community",
    tag: "dashboard",
    auth: true,
    params: slugParam,
    query: z.object({
      p: period,
      gridId: idSchema.optional(),
      organizationId: idSchema.optional(),
      category: z.string().trim().max(32).optional(),
    }),
    response: z.object({ period: z.object({ key: z.string(), from: date, to: date }), figures: z.array(figure), tables: z.array(table) }),
    errors: [403, 404],
  }),
  scorecards: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/scorecards",
    summary:
      "物业考评: each property company of the community for the last four quarters — tasks closed, on-time rate, sent-back rate, average rating, response rate and the stars (1–5, half stars) from the published weights. Staff, the council, grid workers and property companies; residents when the community publishes it",
    tag: "dashboard",
    auth: true,
    params: slugParam,
    response: z.object({
      weights,
      rows: z.array(
        z.object({
          organizationId: z.string(),
          name: z.string(),
          quarter: z.string(),
          tasksHandled: z.number().int(),
          onTimeRate: z.number().nullable(),
          reopenRate: z.number().nullable(),
          averageRating: z.number().nullable(),
          responseRate: z.number().nullable(),
          stars: z.number().nullable(),
        }),
      ),
    }),
    errors: [403, 404],
  }),
  districtDashboard: endpoint({
    method: "GET",
    path: "/api/v1/districts/{districtId}/dashboard",
    summary: "A street office's dashboard over all its communities, with a table per community (the district's super-users)",
    tag: "dashboard",
    auth: true,
    params: z.object({ districtId: idSchema }),
    query: z.object({ p: period }),
    response: overseerView,
    errors: [403, 404],
  }),
  deploymentDashboard: endpoint({
    method: "GET",
    path: "/api/v1/dashboard",
    summary:
      "The whole deployment's dashboard: every street office and community, with a table per street office and per community (the deployment's overseers, set with `npm run setup -- --deployment-overseer`)",
    tag: "dashboard",
    auth: true,
    query: z.object({ p: period }),
    response: overseerView,
    errors: [403],
  }),
  scorecardWeights: endpoint({
    method: "POST",
    path: "/api/v1/districts/{districtId}/scorecard-weights",
    summary: "Sets the weights of the star formula for the street office's communities (its super-users); published on /dashboard/definitions?district=<id>",
    tag: "dashboard",
    auth: true,
    params: z.object({ districtId: idSchema }),
    body: weights.refine((w) => w.onTime + w.reopen + w.rating + w.response > 0, { message: "errors.invalidInput", path: ["onTime"] }),
    response: weights,
    errors: [403, 404],
  }),
  jobRuns: endpoint({
    method: "GET",
    path: "/api/v1/jobs",
    summary:
      "The scheduled jobs (next and last run) and their latest runs, newest first, with what each did (community staff of any community, or a district's super-users)",
    tag: "dashboard",
    auth: true,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.object({
      jobs: z.array(z.object({ name: z.string(), dueAt: date, lastRunAt: date.nullable(), running: z.boolean() })),
      runs: z.array(
        z.object({
          id: z.string(),
          job: z.string(),
          runner: z.string(),
          startedAt: date,
          finishedAt: date.nullable(),
          ok: z.boolean().nullable(),
          detail: z.string(),
        }),
      ),
    }),
    errors: [403],
  }),
};
