#!/bin/sh
# Explore: the property tests (the article's, every format's, the edit shortcuts', the fuzzing,
# the validator's and the edits that leave unknown keys unread) with many random seeds and many
# examples each (not the default run, which is
# deterministic).
# Usage: tests/explore.sh [SEEDS] [EXAMPLES] [FIRST_SEED] (default 30 seeds of 500 examples,
# seeds 1..30). Each seed's output goes to
# explore-logs/seed-N.log; the last line says which seeds failed. Failures are not shrunk
# (HYPOTHESIS_SHRINK=1 to shrink); `--hypothesis-seed=N` repeats one exploration. EXPLORE_FILES
# (test files, separated by spaces) explores only those.
seeds=${1:-30}
examples=${2:-500}
first=${3:-1}
FILES=${EXPLORE_FILES:-"tests/test_properties.py tests/test_formats.py tests/test_edit_entries.py tests/test_edit_items.py
    tests/test_fuzz.py tests/test_validator.py tests/test_validation.py tests/test_splice_known.py"}
mkdir -p explore-logs
failed=""
seed=$first
while [ "$seed" -lt $((first + seeds)) ]; do
    if HYPOTHESIS_PROFILE=explore HYPOTHESIS_EXAMPLES=$examples \
        python -m pytest -q -p no:cacheprovider $FILES \
        --hypothesis-seed="$seed" >"explore-logs/seed-$seed.log" 2>&1; then
        echo "seed $seed: passed ($(tail -1 "explore-logs/seed-$seed.log"))"
    else
        echo "seed $seed: FAILED ($(tail -1 "explore-logs/seed-$seed.log"))"
        failed="$failed $seed"
    fi
    seed=$((seed + 1))
done
echo "failed seeds:${failed:- none}"
[ -z "$failed" ]
