# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/gridmap ./cmd/gridmap && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gridmap /usr/local/bin/gridmap
# the data dir belongs to the non-root user so that a fresh volume is writable
COPY --from=build --chown=65532:65532 /out/data /data
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
# serve and healthcheck read the same settings (docs/deploy.md); more with
# GRIDMAP_… variables or a file mounted at GRIDMAP_CONFIG
ENV GRIDMAP_DATA=/data GRIDMAP_ADDR=0.0.0.0:8080 GRIDMAP_LOG_FORMAT=json
# the image has no shell: gridmap itself asks GET /healthz; the first start
# imports the bundled sample, hence the start period
HEALTHCHECK --interval=30s --timeout=5s --start-period=2m --retries=3 CMD ["/usr/local/bin/gridmap","healthcheck"]
ENTRYPOINT ["/usr/local/bin/gridmap"]
CMD ["serve"]
