// Receipts and notifications (PROTOCOL.md §6.4–§6.6), and the sender identities of a received message
// (§7.8: PN ↔ LID from stanza attributes and the usync map).
#include "server/messenger/messenger_private.h"

#include <QDateTime>

namespace atende::server::messenger {

using namespace whatsapp;

void Messenger::Private::fillIdentities(ReceivedMessage &out, const Node &stanza, const IncomingMessage &in)
{
    const Jid senderUser = userOf(in.sender);
    auto attr = [&](QStringView key) -> std::optional<Jid> {
        auto jid = stanza.attributeJid(key);
        return jid ? std::optional<Jid>(userOf(*jid)) : std::nullopt;
    };
    const bool group = in.isGroup;
    if (senderUser.server == Jid::kLidServer) {
        out.senderLid = senderUser;
        out.senderPn = attr(group ? u"participant_pn" : u"sender_pn");
        if (!out.senderPn)
            out.senderPn = devices.pnFor(senderUser);
        if (out.senderPn)
            devices.mapLid(*out.senderPn, senderUser);
    } else {
        out.senderPn = senderUser;
        out.senderLid = attr(group ? u"participant_lid" : u"sender_lid");
        if (!out.senderLid)
            out.senderLid = devices.lidFor(senderUser);
        if (out.senderLid)
            devices.mapLid(senderUser, *out.senderLid);
    }
}

QCoro::Task<> Messenger::Private::processReceipt(Node stanza)
{
    auto life = this->life;
    auto parsed = parseReceiptStanza(stanza);
    if (!parsed) {
        qCInfo(lcMessenger).noquote() << "malformed receipt:" << parsed.error().code;
        (void)session.acknowledge(stanza, 487);
        co_return;
    }
    IncomingReceipt r = std::move(*parsed);
    if (r.retry) {
        auto answering = answerRetry(r);
        co_await answering;
        if (!life->alive)
            co_return;
        (void)session.acknowledge(stanza);
        co_return;
    }
    ReceivedReceipt out;
    out.from = r.from;
    out.chat = isOwnUser(r.from) && r.recipient ? userOf(*r.recipient) : userOf(r.from);
    out.ids = r.ids;
    out.type = r.type.isEmpty() || r.type == u"inactive" ? QStringLiteral("delivered") : r.type;
    out.timestamp = r.timestamp > 0 ? QDateTime::fromSecsSinceEpoch(r.timestamp, Qt::UTC) : QDateTime();
    auto handling = untilOk([this, out] { return handler.onReceipt(out); }, QStringLiteral("receipt handler"));
    const bool handled = co_await handling;
    if (!life->alive || !handled)
        co_return;
    (void)session.acknowledge(stanza);
}

void Messenger::Private::processNotification(const Node &stanza)
{
    const QString type = stanza.attributeString(u"type");
    const auto from = stanza.attributeJid(u"from");
    if (type == u"encrypt" && from && stanza.child(u"identity")) {
        // The user re-registered (new identity key, §6.6): their old sessions can never decrypt again.
        const Jid user = userOf(*from);
        if (auto known = devices.devices(user))
            for (const Jid &device : *known)
                if (auto address = signal::addressForJid(device))
                    account.deleteSession(*address);
        Q_EMIT q->identityChanged(user);
    }
    if ((type == u"devices" || type == u"encrypt") && from) {
        // A user's device list (or identity) changed: fetch it again before the next send (§6.6).
        devices.invalidate(userOf(*from));
        if (stanza.hasChildren())
            for (const Node &change : stanza.children())
                if (change.hasChildren())
                    for (const Node &device : change.children())
                        if (auto jid = device.attributeJid(u"jid"))
                            devices.invalidate(userOf(*jid));
    }
    (void)session.acknowledge(stanza);
}

} // namespace atende::server::messenger
