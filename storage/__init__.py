"""The only package that touches SQL: models, repositories, unit of work, migrations."""
