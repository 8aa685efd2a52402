"""Persistence: SQLAlchemy models, engine, migrations and repository functions (ORM rows stay here)."""
