#!/usr/bin/env bash
# Fresh machine → dataset: install, run the ingest flow on data/samples/, answer a first question.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
rassegna run
rassegna query "SELECT source, count(*) AS articles, round(avg(sentiment_score), 2) AS confidence FROM articles GROUP BY source"
rassegna query "SELECT reason, count(*) AS inputs FROM rejected GROUP BY reason ORDER BY inputs DESC"
