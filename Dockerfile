# monitor: the daemon in a container. Build: docker build -t monitor .
FROM python:3.11-slim
WORKDIR /app
# Install dependencies first so that code changes rebuild only the last layers.
COPY pyproject.toml README.md ./
COPY monitor ./monitor
COPY templates ./templates
COPY config ./config
RUN pip install --no-cache-dir -e '.[postgres]'
RUN useradd --system --home /app monitor && mkdir -p /app/data && chown monitor /app/data
USER monitor
ENV MONITOR_CONFIG=/app/config/monitor.toml
ENTRYPOINT ["monitor"]
CMD ["run"]
