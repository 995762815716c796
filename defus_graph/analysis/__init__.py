"""Questions asked of the network: queries, centralities, communities, suggestions, periods."""
