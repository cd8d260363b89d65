# syntax=docker/dockerfile:1
# One image for the API server and the job worker (the command picks which).
#   docker build -t mlrpc .
#   docker run -p 3000:3000 mlrpc                      # server, default hub models
#   docker run mlrpc node worker/dist/main.js          # worker (needs REDIS_URL)

FROM node:20-bookworm-slim AS build
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    # onnxruntime-node's install script downloads CUDA libraries; the CPU provider is bundled.
    ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global pnpm@10.34.9
WORKDIR /src
# Dependencies first, so source changes do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
 && pnpm turbo run build --filter=@mlrpc/server... --filter=@mlrpc/worker... \
 && pnpm --filter @mlrpc/server deploy --prod --legacy /out/server \
 && pnpm --filter @mlrpc/worker deploy --prod --legacy /out/worker

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MODELS_CONFIG=/app/config/models.json \
    MODELS_DIR=/app/models \
    MODELS_CACHE_DIR=/cache/models
WORKDIR /app
COPY --from=build /out/server ./server
COPY --from=build /out/worker ./worker
COPY config ./config
# The small models the default config serves; mount more beside them under /app/models.
COPY models ./models
RUN mkdir -p /cache/models && chown -R node:node /cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node handles SIGTERM itself (graceful drain); no shell in between.
CMD ["node", "server/dist/main.js"]
