"""Gazetteers: curated and registry-built name lists (places, organisations, aliases) read from `data/gazetteers/`."""
