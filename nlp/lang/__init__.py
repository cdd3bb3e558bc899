"""Italian language data the project adds to spaCy's own (`spacy/lang/it`)."""
