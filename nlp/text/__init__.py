"""Text hygiene before analysis: normalisation, canonical hashing and language detection."""
