"""lurewatch API: scoring endpoints, listings, reports and the NGO review desk."""
