// Receipts (PROTOCOL.md §6.5, §8.3, §8.4, §12.1 item 9). A receipt from a device settles the messages it
// names in that device's outbox (a receipt is how a client acknowledges a message, §6.4), is answered with
// <ack class="receipt"/>, and is forwarded — children (<list>, <retry>, <registration>, <keys>) byte-exact —
// as <receipt from=<reader device> id t [type] [recipient]> to the original sender's devices; a retry
// receipt goes only to the device that sent the message.
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;

namespace {
constexpr qsizetype kMaxListedIds = 512;
}

void Simulator::onReceipt(Connection &connection, const Node &receipt)
{
    SimDevice *reader = findDevice(connection.deviceKey());
    if (!reader)
        return;
    const QString id = receipt.attributeString(u"id");
    const QString type = receipt.attributeString(u"type");
    const auto to = receipt.attributeJid(u"to");
    Node ack(QStringLiteral("ack"),
             {{QStringLiteral("class"), QStringLiteral("receipt")}, {QStringLiteral("id"), id.left(128)}});
    if (to)
        ack.setAttribute(QStringLiteral("from"), *to);
    if (!type.isEmpty())
        ack.setAttribute(QStringLiteral("type"), type);

    QStringList ids{id};
    if (const Node *list = receipt.child(u"list"); list && list->hasChildren())
        for (const Node &item : list->children())
            if (item.tag == u"item" && !item.attributeString(u"id").isEmpty())
                ids.append(item.attributeString(u"id"));
    SimUser *peer = to ? userForJid(*to) : nullptr;
    if (id.isEmpty() || id.size() > 128 || !to || ids.size() > kMaxListedIds) {
        ++reader->counters.rejected;
        record(QStringLiteral("receipt_rejected %1").arg(reader->key()));
        ack.setAttribute(QStringLiteral("error"), QStringLiteral("479"));
        connection.sendReply(ack);
        return;
    }
    const QString peerPhone = peer ? peer->phone : QString();
    acknowledge(*reader, [&](const Node &stanza) {
        if (stanza.tag != u"message" || !ids.contains(stanza.attributeString(u"id")))
            return false;
        const auto from = stanza.attributeJid(u"from");
        const SimUser *sender = from ? userForJid(*from) : nullptr;
        return peerPhone.isEmpty() || (sender && sender->phone == peerPhone);
    });
    if (!peer) {
        connection.sendReply(ack); // nobody to tell (e.g. a receipt to a group we do not simulate)
        return;
    }

    QStringList targets;
    if (type == u"retry") {
        // The retry must reach the device whose ciphertext failed: named in `to`, or remembered.
        const QString named = peer->phone + u':' + QString::number(to->device);
        const QString remembered = m_messageSenders.value(id);
        targets = to->device != 0         ? QStringList{named}
                  : !remembered.isEmpty() ? QStringList{remembered}
                                          : companionKeys(peer->phone);
    } else {
        targets = companionKeys(peer->phone);
    }
    targets.removeAll(reader->key());

    const SimUser &readerUser = m_users.at(reader->phone);
    const Jid from = to->server == Jid::kLidServer
                         ? Jid::make(readerUser.lid, QString(Jid::kLidServer), reader->device)
                         : Jid::make(reader->phone, QString(Jid::kUserServer), reader->device);
    const QString t = receipt.attributeString(u"t");
    Node out(QStringLiteral("receipt"), {{QStringLiteral("from"), from},
                                         {QStringLiteral("id"), id},
                                         {QStringLiteral("t"), t.isEmpty() ? QString::number(now()) : t}});
    // "inactive" (§6.5) tells the server the receiving app is in the background; for the sender it is a
    // delivery like any other (our reading; UNVERIFIED), so it is forwarded as a plain delivery receipt.
    if (!type.isEmpty() && type != u"inactive")
        out.setAttribute(QStringLiteral("type"), type);
    for (const auto attr : {u"participant", u"recipient", u"category"})
        if (const auto *value = receipt.attribute(attr))
            out.setAttribute(QString::fromUtf16(attr), *value);
    out.content = receipt.content;
    for (const QString &key : std::as_const(targets))
        deliver(key, out);
    connection.sendReply(ack);
}

} // namespace atende::wasim
