#!/bin/bash
# HEALTHCHECK of the Courier image: exit 0 when GET /readyz answers 200. Plain bash (/dev/tcp), so the image needs
# no curl; Docker's --timeout bounds a node that accepts but never answers.
set -u
port=${COURIER_API_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
read -r _ status _ <&3 || exit 1
exec 3<&-
[ "$status" = 200 ]
