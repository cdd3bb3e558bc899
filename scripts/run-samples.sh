#!/usr/bin/env bash
# Fresh machine → dataset: install, run the ingest flow on data/samples/, answer a first question.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
rassegna run
rassegna query "SELECT canonical AS organisation, article_count AS articles FROM entities WHERE label = 'ORG' ORDER BY article_count DESC, canonical LIMIT 10"
rassegna query "SELECT reason, count(*) AS inputs FROM rejected GROUP BY reason ORDER BY inputs DESC"
rassegna query "SELECT title, sentiment_label AS label, round(tone, 2) AS net_tone FROM articles ORDER BY tone, title LIMIT 10"
