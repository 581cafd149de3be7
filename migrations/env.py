"""Alembic environment: the models' metadata, and the URL from the caller or from Settings."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers the tables on SQLModel.metadata
from app.config import get_settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Migrate the database named by the caller (app.build_db) or by DATABASE_URL."""
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    connectable = context.config.attributes.get("connection") or create_engine(url)
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
