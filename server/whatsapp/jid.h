#pragma once
// A WhatsApp address ("JID"): `[user][.agent][:device]@server`, plus `integrator-user:device@interop` for
// interop users (PROTOCOL.md §4.5). On the wire a JID is never a plain string: the binary encoder picks
// JID_PAIR, AD_JID, FB_JID or INTEROP_JID from the server, so JID-valued attributes must be Jid objects.

#include <QString>

#include <optional>

namespace atende::server::whatsapp {

struct Jid {
    static constexpr QLatin1String kUserServer{"s.whatsapp.net"};
    static constexpr QLatin1String kLidServer{"lid"};
    static constexpr QLatin1String kHostedServer{"hosted"};
    static constexpr QLatin1String kHostedLidServer{"hosted.lid"};
    static constexpr QLatin1String kGroupServer{"g.us"};
    static constexpr QLatin1String kBroadcastServer{"broadcast"};
    static constexpr QLatin1String kMessengerServer{"msgr"};
    static constexpr QLatin1String kInteropServer{"interop"};

    QString user;
    QString server;
    quint16 device = 0;
    // AD_JID domain byte for a server that has none of its own (WM keeps unknown domain types here);
    // 0 for everything normal.
    quint8 agent = 0;
    quint16 integrator = 0; // interop only

    static Jid make(QString user, QString server, quint16 device = 0);
    // The WhatsApp server itself: "@s.whatsapp.net" (empty user).
    static Jid serverJid() { return make({}, QString(kUserServer)); }
    // Parses the string form; nullopt when there is no '@', the server is empty or a number is invalid.
    static std::optional<Jid> parse(QStringView text);

    // AD_JID domain type for this server (0 PN, 1 LID, 128 hosted, 129 hosted LID), or -1 if none.
    int domainType() const;
    // True when the binary encoder writes this JID as AD_JID (whatsmeow's rule, §4.5).
    bool isAdJid() const;
    // Signal protocol address name: user for PN, user_<domainType> otherwise (§4.5).
    QString signalAddressName() const;

    QString toString() const;
    bool operator==(const Jid &) const = default;
};

} // namespace atende::server::whatsapp
