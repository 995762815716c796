"""Names: normalising, the shared vocabulary, countries, resolving, duplicates, places."""
