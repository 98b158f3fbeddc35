#!/usr/bin/env bash
# A few simulated customers writing to the demo company's WhatsApp number, for the README's run command.
# Each customer is a phone in atende-wasim built on Atende's own WhatsApp client library (end-to-end
# encrypted like a real one); they are scripted through wasim's admin API. Runs until killed.
# Usage: demo-customers.sh WASIM_ADMIN_URL COMPANY_PHONE
set -uo pipefail
WASIM="$1" COMPANY="$2"

post() { curl -fsS -X POST "$WASIM$1" -H 'Content-Type: application/json' -d "$2" >/dev/null 2>&1; }

CUSTOMERS=("5511912340001|Maria Souza" "5511912340002|João Pereira" "5521998760003|Ana Lima")
LINES=(
  "Olá! Meu pedido 4711 ainda não chegou, podem verificar?"
  "Bom dia, vocês entregam no sábado?"
  "Oi, gostaria de trocar o tamanho de uma camiseta 👕"
  "Qual o prazo de entrega para Campinas?"
  "Obrigado pelo atendimento! 🙏"
  "Consigo pagar com Pix?"
)

for c in "${CUSTOMERS[@]}"; do
  phone="${c%%|*}" name="${c#*|}"
  post /admin/customers "$(jq -n --arg p "$phone" --arg n "$name" '{phone: $p, push_name: $n}')" || true
done

i=0
while true; do
  c="${CUSTOMERS[$((i % ${#CUSTOMERS[@]}))]}"
  phone="${c%%|*}"
  text="${LINES[$((i % ${#LINES[@]}))]}"
  post "/admin/customers/$phone/typing" "$(jq -n --arg t "$COMPANY" '{to: $t, state: "composing"}')" || true
  sleep 2
  post "/admin/customers/$phone/send" "$(jq -n --arg t "$COMPANY" --arg x "$text" '{to: $t, text: $x}')" ||
    echo "demo-customers: $phone could not send (is the simulated network up?)" >&2
  i=$((i + 1))
  sleep 25
done
