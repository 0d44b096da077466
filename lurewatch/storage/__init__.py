"""Storage shared by the API and the crawler: SQLModel tables and the engine factory."""
