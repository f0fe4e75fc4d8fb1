// The one mapping from anything thrown to what the asker is told (app/utils/refusal.server.ts).
import { describe, expect, it } from "vitest";
import { IllegalMove } from "~/models/topic-states";
import { InputRejected, REFUSAL_BRAND, Refusal, RuleBroken, isRefusal } from "~/utils/errors";
import { NotFound, PermissionDenied } from "~/utils/permissions.server";
import { refusalOf } from "~/utils/refusal.server";
import { UploadRejected } from "~/utils/uploads.server";
import { ApiError } from "~/utils/api.server";

describe("refusalOf", () => {
  it("maps every domain error by what it carries, with no list of classes", () => {
    expect(refusalOf(new PermissionDenied("topic:triage"), "en")).toEqual({
      status: 403,
      key: "errors.forbidden",
      message: "You do not have permission to see this.",
    });
    expect(refusalOf(new NotFound("session"), "zh-CN")).toMatchObject({ status: 404, key: "errors.notFound" });
    expect(refusalOf(new InputRejected("gridId", "errors.placeInvalid"), "en")).toMatchObject({ status: 400, key: "errors.placeInvalid", field: "gridId" });
    expect(refusalOf(new RuleBroken("errors.quorumNotMet", { present: 1, required: 4 }), "en")).toMatchObject({
      status: 409,
      key: "errors.quorumNotMet",
      values: { present: 1, required: 4 },
      message: expect.stringContaining("1 present, 4 needed"),
    });
    expect(refusalOf(new IllegalMove("accept", "declined"), "en")).toMatchObject({ status: 409, key: "errors.moveIllegal", values: { status: "declined" } });
    expect(refusalOf(new ApiError(429, "errors.tooManyAttempts"), "en")).toMatchObject({ status: 429, key: "errors.tooManyAttempts" });
    expect(refusalOf(new UploadRejected("errors.photoNotImage", { n: 2 }), "en")).toMatchObject({ status: 400, key: "errors.photoNotImage", field: "photos" });
    // "Not open yet" and "closed" are different refusals.
    expect(refusalOf(new RuleBroken("errors.voteNotOpen"), "en").message).not.toBe(refusalOf(new RuleBroken("errors.voteClosed"), "en").message);
  });

  it("recognises a refusal made by another copy of the module by its brand, not instanceof", () => {
    class OtherCopyRefusal extends Error {
      readonly [REFUSAL_BRAND] = true;
      readonly status = 409;
      readonly key = "errors.voteClosed";
      readonly values = {};
    }
    const foreign = new OtherCopyRefusal("x");
    expect(foreign instanceof Refusal).toBe(false);
    expect(isRefusal(foreign)).toBe(true);
    expect(refusalOf(foreign, "en")).toMatchObject({ status: 409, key: "errors.voteClosed", message: "The vote has closed." });
  });

  it("never tells the asker what a bug said", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'secretKey') at /srv/yishi/build/server/index.js:123");
    expect(refusalOf(bug, "en")).toEqual({ status: 500, key: "errors.generic", message: "Something went wrong. Please try again." });
    expect(refusalOf("a string", "en").status).toBe(500);
    expect(refusalOf(null, "en").status).toBe(500);
  });
});
