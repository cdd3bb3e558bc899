"""Topic digests for editors: select, rank, chart, render, send."""
