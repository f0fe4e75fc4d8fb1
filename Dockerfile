# One image for every node of a Yishi deployment (deploy/docker-compose.yml) and for its
# one-shot migration step. Builds from the lockfile alone: `npm ci` fetches exactly what
# package-lock.json names from the npm registry (or a mirror set with NPM_CONFIG_REGISTRY)
# and downloads nothing else: no Prisma engines (the app runs without them, docs/decisions/
# 0002), no Playwright browser.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source where its prebuilt binary cannot be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV CI=true \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    PRISMA_SKIP_POSTINSTALL_GENERATE=1 \
    npm_config_audit=false \
    npm_config_fund=false
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    UPLOADS_DIR=/data/uploads
# pg_dump and pg_restore for `npm run backup|restore` on PostgreSQL: bookworm's client is 15, as
# is the Compose file's server (pg_dump refuses a newer server than itself).
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# The migrator reads these at start (SQLite and PostgreSQL).
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/prisma/postgres/migrations ./prisma/postgres/migrations
# The minutes PDF's CJK font (app/models/minutes/render/pdf.server.ts reads it from the working directory).
COPY --from=build /app/assets ./assets
RUN mkdir -p /data/uploads && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "build/server.js"]
