"""WorkAbroad.ph placeholder (filled in below)."""
