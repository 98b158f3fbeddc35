#!/usr/bin/env bash
# Links the demo tenant's WhatsApp connection to the simulated WhatsApp network (atende-wasim), the way a
# person would: sign in as the tenant admin, create the connection if there is none, start pairing, read
# the QR text the server shows and have the simulated phone scan it (wasim's admin API), then wait until
# the connection is connected. Nothing here reaches the real WhatsApp.
# Usage: demo-whatsapp.sh API_URL ADMIN_EMAIL ADMIN_PASSWORD WASIM_ADMIN_URL
set -euo pipefail
API="$1" EMAIL="$2" PASSWORD="$3" WASIM="$4"

json() { jq -n "$@"; }
TOKEN="$(curl -fsS -X POST "$API/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "$(json --arg e "$EMAIL" --arg p "$PASSWORD" '{email: $e, password: $p}')" | jq -r '.accessToken')"
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "demo-whatsapp: sign-in failed" >&2; exit 1; }
call() { # METHOD PATH [BODY]
  curl -fsS -X "$1" "$API$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

CONN="$(call GET /api/v1/connections | jq -r '[.connections[]? | select(.kind == "whatsapp")][0].id // empty')"
if [ -z "$CONN" ]; then
  CONN="$(call POST /api/v1/connections '{"name": "WhatsApp (simulado)", "kind": "whatsapp"}' | jq -r '.id')"
fi
state() { call GET "/api/v1/connections/$CONN/health" | jq -r '.state // "disconnected"'; }
paired() { call GET "/api/v1/connections/$CONN/health" | jq -r '.paired // false'; }

if [ "$(paired)" = true ]; then
  echo "atende: WhatsApp connection already paired: it logs in with its stored credentials (no QR)"
else
  echo "atende: linking the demo WhatsApp connection: QR code → the simulated phone scans it"
  call POST "/api/v1/connections/$CONN/pairing" '{"method": "qr"}' >/dev/null
  QR=""
  for _ in $(seq 1 150); do
    QR="$(call GET "/api/v1/connections/$CONN/pairing" | jq -r 'select(.kind == "qr") | .value // empty')"
    [ -n "$QR" ] && break
    sleep 0.2
  done
  [ -n "$QR" ] || { echo "demo-whatsapp: no QR code was shown (state: $(state))" >&2; exit 1; }
  curl -fsS -X POST "$WASIM/admin/scan" --data-binary "$QR" >/dev/null
fi
for _ in $(seq 1 150); do
  if [ "$(state)" = connected ]; then
    echo "atende: WhatsApp connection 'WhatsApp (simulado)' connected to the simulated network"
    exit 0
  fi
  sleep 0.2
done
echo "demo-whatsapp: the connection did not connect (state: $(state))" >&2
exit 1
