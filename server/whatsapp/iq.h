#pragma once
// Building iq stanzas (PROTOCOL.md §6.2).

#include "server/whatsapp/node.h"

#include <vector>

namespace atende::server::whatsapp {

// <iq to=S type xmlns>children</iq>; Session::query() adds the id.
Node makeIq(const QString &type, const QString &xmlns, std::vector<Node> children = {});

} // namespace atende::server::whatsapp
