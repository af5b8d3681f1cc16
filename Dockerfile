# Multi-stage: a virtualenv built in the first stage, copied into a slim non-root runtime.
# The base is an argument so the image builds without a registry (scripts/image-check.sh
# passes a Debian bookworm base it makes with debootstrap); it needs python, pip and venv.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/wecom-bot
ENV PATH=/opt/wecom-bot/bin:$PATH
WORKDIR /src
# Dependencies first, from pyproject.toml alone: this layer is reused until they change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt
COPY README.md ./
COPY bot ./bot
COPY keywords ./keywords
COPY sandbox ./sandbox
# Installed straight into the venv: no wheel directory is ever copied into a layer.
RUN pip install --no-deps . && rm -rf /src/build

FROM ${BASE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/wecom-bot/bin:$PATH \
    WECOM_BOT_LISTEN=0.0.0.0:8080
RUN useradd --create-home --uid 10001 wecom
COPY --from=build /opt/wecom-bot /opt/wecom-bot
WORKDIR /app
COPY migrations ./migrations
# data/: the media volume of deploy/compose.yaml (a named volume takes its owner from here).
RUN mkdir -p /app/data && chown -R wecom:wecom /app
USER wecom
# Warm jieba's dictionary cache at build time so the first message is not slow.
RUN python -c "import jieba; jieba.initialize()"
EXPOSE 8080
# /healthz on the port the configuration says (WECOM_BOT_LISTEN, or the config file's listen).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["python", "-c", "import urllib.request; from bot.settings import load_settings; s = load_settings(None); h = s.host.strip('[]'); h = '127.0.0.1' if h in ('0.0.0.0', '::', '') else h; urllib.request.urlopen(f'http://{h}:{s.port}/healthz', timeout=3)"]
CMD ["wecom-bot", "serve"]
