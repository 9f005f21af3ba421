#!/bin/sh
# One-shot job (temporal-create-namespace service): waits for the Temporal frontend, creates the
# namespace the app uses and registers the app's search attributes. Idempotent: an existing
# namespace is kept as it is, and adding an existing search attribute with the same type is a no-op.
set -eu

TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${NAMESPACE:-default}"
# How long Temporal keeps a closed workflow's history (the database keeps the case file).
NAMESPACE_RETENTION="${NAMESPACE_RETENTION:-720h}"
MAX_ATTEMPTS="${MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SLEEP_SECONDS:-2}"

# Runs "$@" until it succeeds, at most MAX_ATTEMPTS times.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "Giving up after ${MAX_ATTEMPTS} attempts: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep "$SLEEP_SECONDS"
  done
}

server_is_healthy() {
  temporal operator cluster health --address "$TEMPORAL_ADDRESS"
}

ensure_namespace() {
  if temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
    echo "Namespace ${NAMESPACE} already exists"
    return 0
  fi
  temporal operator namespace create -n "$NAMESPACE" --retention "$NAMESPACE_RETENTION" --address "$TEMPORAL_ADDRESS"
}

search_attribute_is_listed() {
  temporal operator search-attribute list -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" | grep -qw "$1"
}

# ensure_search_attribute NAME TYPE
ensure_search_attribute() {
  retry temporal operator search-attribute create --name "$1" --type "$2" -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS"
  # The frontend serves search attributes from a cache: wait until the new one is visible.
  retry search_attribute_is_listed "$1"
  echo "Search attribute $1 ($2) is registered"
}

echo "Waiting for the Temporal frontend at ${TEMPORAL_ADDRESS}..."
retry server_is_healthy
retry ensure_namespace

# The household workflow's search attributes (workflows/household/search-attributes.ts).
# Temporal stores them unencrypted: process facts only, never personal data.
ensure_search_attribute AprilPhase Keyword
ensure_search_attribute AprilTrack Keyword
ensure_search_attribute AprilLandlord Keyword
ensure_search_attribute AprilEducator Keyword

echo "Namespace ${NAMESPACE} is ready"
