import { publishedVersion } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.minutesVersion, async ({ actor, params, query, request }) => {
  const v = await publishedVersion(actor!, params.minutesId, query.v, new URL(request.url).origin);
  const p = v.published;
  return {
    minutesId: v.minutesId,
    sessionId: v.sessionId,
    version: p.version,
    latest: v.latest,
    versions: v.versions,
    hash: p.hash,
    previousHash: p.previousHash,
    correctionReason: p.correctionReason,
    publishedAt: p.publishedAt.toISOString(),
    noticeFrom: p.noticeFrom.toISOString(),
    noticeTo: p.noticeTo.toISOString(),
    metadata: {
      communityName: p.communityName,
      sessionTitle: p.sessionTitle,
      startsAt: p.startsAt.toISOString(),
      endedAt: p.endedAt?.toISOString() ?? null,
      place: p.place,
      chair: p.chair,
      secretary: p.secretary,
    },
    content: p.content,
  };
});
export const action = loader;
