# One image for every task-queue executable; docker-compose.yml picks the one to run.
# Build stage: the same Debian packages the quick start installs (JDK, Maven, and clang with
# wasi-libc for the sample tasks), then the Maven build without tests (CI runs them).
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven clang lld wasi-libc libclang-rt-14-dev-wasm32 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /opt/task-queue task-queue \
 && mkdir -p /var/log/task-queue \
 && chown task-queue /var/log/task-queue
ENV TASK_QUEUE_HOME=/opt/task-queue \
    PATH=/opt/task-queue/bin:$PATH \
    TASK_QUEUE_WASM_LOG_DIR=/var/log/task-queue
COPY --from=build /src/bin/ /opt/task-queue/bin/
COPY --from=build /src/producer/target/task-queue-producer.jar /opt/task-queue/lib/
COPY --from=build /src/registry/target/task-queue-registry.jar /opt/task-queue/lib/
COPY --from=build /src/worker/target/task-queue-worker.jar /opt/task-queue/lib/
COPY --from=build /src/scheduler/target/task-queue-scheduler.jar /opt/task-queue/lib/
COPY --from=build /src/reaper/target/task-queue-reaper.jar /opt/task-queue/lib/
COPY --from=build /src/sample-tasks/target/wasm/ /opt/task-queue/sample-tasks/
USER task-queue
WORKDIR /opt/task-queue
# Worker, scheduler and reaper serve /metrics, /healthz and /readyz here when
# TASK_QUEUE_METRICS_PORT is set to it (docker-compose.yml does); curl is for the health checks.
EXPOSE 9464
CMD ["worker"]
