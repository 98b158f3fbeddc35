#pragma once
// Presence and chat state (typing) stanzas (PROTOCOL.md §6.9): builders for what a client sends, strict
// parsers for what it receives. Neither is acknowledged by clients.

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <optional>

namespace atende::server::whatsapp {

enum class ChatState { Composing, Recording, Paused };

// <chatstate to=chat><composing/></chatstate>; Recording = <composing media="audio"/>.
Node buildChatState(const Jid &to, ChatState state);

struct IncomingChatState {
    Jid from;                       // the user or group
    std::optional<Jid> participant; // the typing user in groups
    ChatState state = ChatState::Paused;
};
core::Result<IncomingChatState> parseChatState(const Node &node);

// <presence type="available|unavailable" name=pushName/> (the name is left out when empty).
Node buildPresence(bool available, const QString &pushName);
// <presence type="subscribe" to=jid>[<tctoken>…</tctoken>]</presence>
Node buildPresenceSubscribe(const Jid &to, const QByteArray &privacyToken = {});

struct IncomingPresence {
    Jid from;
    bool available = true;          // absent type = available
    std::optional<qint64> lastSeen; // last="<unix>"
    bool lastSeenHidden = false;    // last="deny"
};
core::Result<IncomingPresence> parsePresence(const Node &node);

} // namespace atende::server::whatsapp
