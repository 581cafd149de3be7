# An immutable image: code, pinned dependencies and a database built at image build time.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    DATABASE_URL=sqlite:////srv/var/returns.db \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_CONCURRENCY=2

WORKDIR /srv
# Exactly the locked versions, each file checked against the hash PyPI serves; the app runs from /srv.
COPY requirements.lock ./
RUN python -m venv /opt/venv && pip install --require-hashes -r requirements.lock

COPY alembic.ini seed.sql ./
COPY data/datapackage.json ./data/
COPY docs/guide.md docs/guide.uk.md ./docs/
COPY migrations ./migrations
COPY app ./app
# The Ukrainian catalog compiled (git keeps the .po), then the one build path (migrations, seed.sql,
# data checks, the record that they passed). The files stay root's and read-only: the server opens the
# database read-only and could not write it anyway.
RUN pybabel compile -i app/locale/uk/LC_MESSAGES/messages.po -o app/locale/uk/LC_MESSAGES/messages.mo \
    && python -m app.build_db && chmod 0444 var/returns.db var/returns.db.checked && chmod 0555 var \
    && groupadd --system --gid 10001 api \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin api

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-m", "app.probe"]
CMD ["python", "-m", "app.serve"]
