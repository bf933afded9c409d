# One image for every service (and the local Anthropic server): build once, choose the
# entry point with ENTRY. Runs as the unprivileged `node` user.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# prisma generate reads DATABASE_URL but never connects.
RUN DATABASE_URL=postgresql://build@localhost:5432/build NX_DAEMON=false \
    npx nx run-many -t build --exclude=e2e --outputStyle=static

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production CHECKPOINT_DISABLE=1
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=build /app/dist ./dist
# What `prisma migrate deploy` needs (the migrate service runs it from this image).
COPY libs/db/prisma ./libs/db/prisma
COPY libs/db/prisma.config.ts ./libs/db/prisma.config.ts
COPY libs/db/src/pg-adapter.ts ./libs/db/src/pg-adapter.ts
COPY tools/docker/entrypoint.sh /usr/local/bin/scenewise-entrypoint
USER node
ENV ENTRY=dist/apps/api/main.js
ENTRYPOINT ["scenewise-entrypoint"]
