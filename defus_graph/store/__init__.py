"""The data folder on disk: the CSV tables and their checked Parquet snapshot."""
