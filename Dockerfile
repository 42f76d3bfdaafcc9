# syntax=docker/dockerfile:1
# One image for the whole suite: payment, pledge-ledger, reward, web and the migration CLI (the
# default target, `runtime`); `--target web` is the same tree starting the donor pages,
# `--target demo-fakes` adds the fake Stripe and PayPal and `--target demo-oidc` the demo OpenID
# provider with the demo people, both for docker-compose.yml's demo.
#
# The build stage bundles each service with esbuild (`npm run build`: infra/build.mjs, one
# dist/main.js per service, workspace packages and the generated Prisma client inside); the
# runtime stage holds only production dependencies (`npm ci --omit=dev --omit=optional` for the
# runtime workspaces: no tsx, TypeScript, Prisma CLI or Jest), the bundles, the migrations and
# the web's static files, and runs plain `node`. infra/image-tree.mjs makes the same tree in a
# folder without Docker (`node infra/image-tree.mjs build --start`, run by .ci/run).
#
#   docker build -t bfi-suite:$(git rev-parse --short HEAD) .
#   docker run --rm -e DATABASE_URL=... -e QR_SECRET=... -p 3001:3001 bfi-suite services/payment/dist/main.js
#   docker run --rm -e DATABASE_URL=... bfi-suite packages/db/dist/cli.js migrate:deploy services/payment
#
# The entrypoint is `node`; the argument picks what runs. node is PID 1 and gets SIGTERM directly
# (no npm in between), so the services' 25 s graceful shutdown works.

# The Node.js release production runs; infra/node.mjs pins the same one for CI
# (packages/messaging/test/deploy-files.test.ts fails when the two differ).
ARG NODE_IMAGE=node:22.23.5-bookworm-slim

# --- manifests: only what `npm ci` reads, so the install layers below are reused until a
# package.json or the lockfile changes (and new workspaces need no edit here).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
  && find . -depth -type d -empty -delete

# --- build: every dependency, the generated Prisma clients, the bundles.
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
# the engine). turbo's build task depends on generate, so the clients exist before esbuild runs.
RUN npx turbo run build --no-daemon \
      --filter=@bfi/payment --filter=@bfi/pledge-ledger --filter=@bfi/reward --filter=@bfi/web \
      --filter=@bfi/db --filter=@bfi/provider-fakes --filter=@bfi/suite \
  && mkdir /out \
  && node infra/image-tree.mjs copy /app /out \
  && mkdir /out-fakes /out-oidc \
  && cp -r --parents packages/provider-fakes/dist /out-fakes/ \
  && cp -r --parents services/suite/dist /out-oidc/

# --- production dependencies only, on the manifests alone (cached until they change).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
COPY --from=manifests /app ./
COPY infra/image-tree.mjs /tmp/image-tree.mjs
RUN node /tmp/image-tree.mjs install /app && npm cache clean --force && rm /tmp/image-tree.mjs

# --- runtime: root-owned, read-only to the app user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    KAFKAJS_NO_PARTITIONER_WARNING=1
WORKDIR /app
COPY --from=prod-deps /app /app
COPY --from=build /out /app
# The image's `node` user (uid 1000). Kubernetes runs it with a read-only root filesystem and an
# emptyDir on /tmp (temp files).
USER 1000:1000
EXPOSE 3001 3002 3003
ENTRYPOINT ["node"]
CMD ["services/payment/dist/main.js"]

# --- web: the donor pages, `docker build --target web`: the same tree, the web's port and command.
FROM runtime AS web
EXPOSE 3004
CMD ["services/web/dist/main.js"]

# --- demo-fakes: the fake Stripe and PayPal (packages/provider-fakes) for docker-compose.yml.
# Never deploy it: it accepts any key and signs with the published demo secrets.
FROM runtime AS demo-fakes
COPY --from=build /out-fakes /app
EXPOSE 12111 12112
CMD ["packages/provider-fakes/dist/main.js"]

# --- demo-oidc: the demo OpenID provider (services/suite/src/oidc-main.ts, one self-contained
# bundle with oidc-provider inside) for docker-compose.yml. Never deploy it: anyone signs in as any
# demo person with the published password. Its keys are kept in /var/lib/bfi-oidc (a volume).
FROM runtime AS demo-oidc
COPY --from=build /out-oidc /app
USER root
RUN mkdir -p /var/lib/bfi-oidc && chown 1000:1000 /var/lib/bfi-oidc
USER 1000:1000
ENV OIDC_DEMO_SECRETS_FILE=/var/lib/bfi-oidc/oidc-provider.json
EXPOSE 3005
CMD ["services/suite/dist/oidc-main.js"]
