#pragma once
// Signal addresses for WhatsApp devices (SIGNAL-INTEROP.md trap 14). The name is Baileys' user part —
// `user` for s.whatsapp.net, `user_<domain>` otherwise (LID 1, hosted 128, hosted LID 129) — and the device
// id is separate: `15550000001:3@s.whatsapp.net` → ("15550000001", 3), `100000000000001:3@lid` →
// ("100000000000001_1", 3). Addresses are storage keys only; they never enter the cryptography, but they
// must be the same every time or a session is "lost".

#include "server/whatsapp/jid.h"

#include <QString>
#include <compare>
#include <optional>

namespace atende::server::signal {

struct SignalAddress {
    QString name;
    qint32 device = 0;

    // "name.device", Baileys' `SignalProtocolAddress.toString()`; handy as a single storage key.
    QString toString() const;
    // Parses toString()'s form; nullopt when the device part is missing or not a number.
    static std::optional<SignalAddress> fromString(QStringView text);

    friend bool operator==(const SignalAddress &, const SignalAddress &) = default;
    friend std::strong_ordering operator<=>(const SignalAddress &a, const SignalAddress &b);
};

// Nullopt for JIDs that have no Signal identity of their own: groups, broadcast lists, the server, or an
// empty user.
std::optional<SignalAddress> addressForJid(const whatsapp::Jid &jid);

// A sender key is per (group JID string, sender device): `120363…@g.us` + ("15550000001", 3).
struct SenderKeyName {
    QString groupId;
    SignalAddress sender;

    // "group::name::device", as Baileys prints it.
    QString toString() const;

    friend bool operator==(const SenderKeyName &, const SenderKeyName &) = default;
    friend std::strong_ordering operator<=>(const SenderKeyName &a, const SenderKeyName &b);
};

} // namespace atende::server::signal
