# kapso-mock: multi-stage build on the official Debian-based Node 24 image.
# Build stage: compile TypeScript and better-sqlite3 (native, built from source here).
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.ts ./scripts/
# The build starts the server once to write V8's code cache for the bundle (scripts/bundle.ts): it
# needs what a start reads.
COPY openapi.yaml ./
COPY fixtures ./fixtures
COPY inspector ./inspector
# npm ci builds dist/ through the prepare script (tsc, then the one-file bundle the image runs and its
# code cache, made by this image's Node: scripts/bundle.ts), then the dev dependencies go.
# Of better-sqlite3's build, only the compiled addon is needed at run time.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -f dist/.tsbuildinfo dist/kapso-mock.cjs.map \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/

# Runtime stage: production dependencies and compiled JavaScript only, as the unprivileged node user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4400 \
    KAPSO_MOCK_DB=/data/kapso-mock.db
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY package.json openapi.yaml ./
COPY fixtures ./fixtures
# The inspector's page (/__inspector/): plain HTML, CSS and JavaScript served as they are.
COPY inspector ./inspector
# Each container starts from the fixtures; mount a named volume on /data to keep state across restarts.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4400
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4400) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (exec form): SIGTERM from `docker stop` reaches the server's graceful shutdown.
CMD ["node", "dist/kapso-mock.js"]
