# syntax=docker/dockerfile:1
# One image for the whole suite: payment, pledge-ledger, reward, web and the migration CLI
# (the default target); `--target web` builds the donor pages' image.
# The services run TypeScript through tsx (no build step), so the image carries the sources,
# the full node_modules (tsx and prisma are needed at run time) and the generated Prisma clients.
#
#   docker build -t bfi-suite:$(git rev-parse --short HEAD) .
#   docker run --rm -e DATABASE_URL=... -e QR_SECRET=... -p 3001:3001 bfi-suite services/payment/src/main.ts
#   docker run --rm -e DATABASE_URL=... bfi-suite packages/db/src/cli.ts migrate:deploy services/payment
#
# The entrypoint is `node --import tsx`; the argument picks what runs. node is PID 1 and gets
# SIGTERM directly (no npm or tsx wrapper in between), so the services' 25 s graceful shutdown works.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- manifests: only what `npm ci` reads, so the install layer below is reused until a
# package.json or the lockfile changes (and new workspaces need no edit here).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
  && find . -depth -type d -empty -delete

# --- build: install every dependency, then generate the Prisma clients.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1
COPY --from=manifests /app ./
# --ignore-scripts: nothing here needs an install script (esbuild and swc ship their binaries as
# optional platform packages), and prisma's would download native engines that the suite does not
# use (the Prisma 7 client is WASM; migrations run through packages/db's own runner).
RUN npm ci --ignore-scripts && npm cache clean --force
COPY . .
# The generate scripts set PRISMA_SCHEMA_ENGINE_BINARY=/bin/false themselves (generate never runs
# the engine). Only the services: the packages' generate targets are test fixtures, not shipped.
RUN npx turbo run generate --filter='./services/*' --no-daemon \
  && test -f services/payment/src/db/generated/client.ts \
  && test -f services/pledge-ledger/src/db/generated/client.ts \
  && test -f services/reward/src/db/generated/client.ts \
  && rm -rf .turbo node_modules/.cache

# --- web: the donor pages (services/web) as their own target, `docker build --target web`.
# Same tree as runtime (the pages import the workspace packages as TypeScript source); it only
# starts the web service by default and exposes its port.
FROM ${NODE_IMAGE} AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER 1000:1000
EXPOSE 3004
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["services/web/src/main.ts"]

# --- runtime: the same tree, owned by root and read-only to the app user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY --from=build /app /app
# The image's `node` user (uid 1000). Kubernetes runs it with a read-only root filesystem and an
# emptyDir on /tmp, where tsx keeps its transpile cache.
USER 1000:1000
EXPOSE 3001 3002 3003
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["services/payment/src/main.ts"]
