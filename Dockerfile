# The service image: build TypeScript and the graph view, then run `bsky-graph serve`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# `npm ci` runs the package's prepare script, which builds dist/ and web/dist.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/bin ./bin
# A named volume takes the owner of the directory it is mounted over: the image's user, not root.
RUN mkdir -p /data/exports && chown -R node:node /data
USER node
EXPOSE 4000
CMD ["node", "bin/bsky-graph.js", "serve"]
