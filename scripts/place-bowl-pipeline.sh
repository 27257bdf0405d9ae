#!/usr/bin/env bash
# The place-bowl files of docs/results.md parts 10–16 (bowl-prophet-ownae.sqlite, sft-view.sqlite, …): task-pipeline.sh
# for place-bowl, kept under this name because those parts' commands call it.
#
#   scripts/place-bowl-pipeline.sh DIR [PROPHRL]      # about 30 min on the project's 2-core VM
exec "$(dirname "$0")/task-pipeline.sh" place-bowl "$@"
