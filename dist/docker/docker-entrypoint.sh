#!/bin/sh
# Entrypoint of the Courier image.
#   (no arguments)                 courier run --config $COURIER_CONFIG
#   run | config validate | chain status|resume ID [options]
#                                  that courier command, with --config $COURIER_CONFIG unless one is given
#   -... (--version, --help)       courier with those options
#   anything else (sh, ...)        executed as given
# COURIER_VALIDATOR_KEYS_FILE: a mounted file holding the validator key(s), read into COURIER_VALIDATOR_KEYS (the
# node reads COURIER_SUBMITTER_KEY_FILE and COURIER_ADMIN_TOKEN_FILE itself).
set -eu

COURIER_HOME=${COURIER_HOME:-/opt/courier}
COURIER_CONFIG=${COURIER_CONFIG:-/etc/courier/node.conf}
courier=$COURIER_HOME/bin/courier

if [ -n "${COURIER_VALIDATOR_KEYS_FILE:-}" ]; then
  if [ ! -f "$COURIER_VALIDATOR_KEYS_FILE" ] || [ ! -r "$COURIER_VALIDATOR_KEYS_FILE" ]; then
    echo "docker-entrypoint: COURIER_VALIDATOR_KEYS_FILE=$COURIER_VALIDATOR_KEYS_FILE is not a readable file" >&2
    exit 2
  fi
  COURIER_VALIDATOR_KEYS=$(tr -d ' \t\r\n' < "$COURIER_VALIDATOR_KEYS_FILE")
  export COURIER_VALIDATOR_KEYS
fi

has_config() {
  for arg in "$@"; do
    case $arg in --config|--config=*) return 0 ;; esac
  done
  return 1
}

if [ $# -eq 0 ]; then
  exec "$courier" run --config "$COURIER_CONFIG"
fi

case $1 in
  run) wants_config=yes ;;
  config) if [ "${2:-}" = validate ]; then wants_config=yes; else wants_config=no; fi ;;
  chain) case ${2:-} in status|resume) wants_config=yes ;; *) wants_config=no ;; esac ;;
  -*) wants_config=no ;;
  *) exec "$@" ;;
esac

if [ "$wants_config" = yes ] && ! has_config "$@"; then
  set -- "$@" --config "$COURIER_CONFIG"
fi
exec "$courier" "$@"
