# Multi-stage: build a wheel with its dependencies, then a slim non-root runtime.
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip build
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY keywords ./keywords
RUN python -m build --wheel --outdir /dist \
 && pip wheel --no-cache-dir --wheel-dir /dist /dist/*.whl

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WECOM_BOT_LISTEN=0.0.0.0:8080
RUN useradd --create-home --uid 10001 wecom
COPY --from=build /dist /dist
RUN pip install --no-cache-dir --no-index --find-links /dist wecom-bot && rm -rf /dist
WORKDIR /app
COPY migrations ./migrations
RUN chown -R wecom:wecom /app
USER wecom
# Warm jieba's dictionary cache at build time so the first message is not slow.
RUN python -c "import jieba; jieba.initialize()"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)" || exit 1
CMD ["wecom-bot", "serve"]
