"""PostgreSQL backend (psycopg 3): the same ``StorageType``/``SearchType`` contract as SQLite."""
