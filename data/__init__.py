"""The data rassegna ships (models, gazetteers, themes, sample posts), installed as the package `rassegna_data`."""
