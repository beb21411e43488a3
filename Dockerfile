# syntax=docker/dockerfile:1
# ---- build: compile TypeScript (native addons build here too) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Dependencies first (cached while only sources change). --ignore-scripts skips the `prepare`
# build (no sources yet); the one native addon is then built on its own.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY plugins ./plugins
RUN npm run build && npm prune --omit=dev --ignore-scripts

# ---- runtime: production dependencies and compiled code only ----
FROM node:20-bookworm-slim AS runtime
# HOST: inside a container the server must bind every interface to be reachable through -p.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.example.yaml ./
COPY bin ./bin
RUN mkdir -p /app/data /app/plugins && chown -R node:node /app/data /app/plugins
USER node
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: node runs as PID 1 and handles SIGTERM itself (src/main.ts drains, then exits 0).
STOPSIGNAL SIGTERM
# Same node command as `npm start` (a test keeps the two in step).
CMD ["node", "bin/switchboard.js", "start"]
