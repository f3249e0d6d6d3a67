"""Storage: the only package that touches SQL. Models, repositories, the unit of work, migrations."""
