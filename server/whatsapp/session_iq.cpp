// Request/response over the session's connection (PROTOCOL.md §6.2, §6.4): ids, waiters completed by the
// answering iq or ack, deadlines, and failing every waiter when the connection goes away.
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/logging.h"
#include "server/whatsapp/receipt_stanza.h"
#include "server/whatsapp/session_private.h"

namespace atende::server::whatsapp {

QString Session::Private::nextId()
{
    return idPrefix + QString::number(++idCounter);
}

core::Status Session::Private::sendNode(const Node &node)
{
    if (!socket || !socket->isReady())
        return core::Error::make(errc::kNotConnected, QStringLiteral("the connection is not up"));
    return socket->send(node);
}

QCoro::Task<core::Result<Node>> Session::Private::rawQuery(Node iq, std::chrono::milliseconds timeout)
{
    if (!socket || !socket->isReady())
        co_return core::Error::make(errc::kNotConnected, QStringLiteral("the connection is not up"));
    QString id = iq.attributeString(u"id");
    if (id.isEmpty()) {
        id = nextId();
        iq.setAttribute(QStringLiteral("id"), id);
    }
    if (!iq.attribute(u"to"))
        iq.setAttribute(QStringLiteral("to"), Jid::serverJid());
    if (auto sent = socket->send(iq); !sent)
        co_return sent.error();
    auto pending = std::make_shared<PendingIq>();
    this->pending.insert(id, pending);
    QTimer::singleShot(timeout, q, [this, id] {
        finish(id, core::Error::make(errc::kIqTimeout, QStringLiteral("no answer in time")));
    });
    // Only `pending` is touched after this point: the session may be gone when we resume.
    IqAwaiter awaiter{pending};
    co_await awaiter;
    core::Result<Node> result = std::move(*pending->result);
    co_return result;
}

bool Session::Private::completeIq(const Node &node)
{
    const QString id = node.attributeString(u"id");
    if (id.isEmpty() || !pending.contains(id))
        return false;
    if (node.tag == QLatin1String("iq") && node.attributeString(u"type") == QLatin1String("error")) {
        const Node *error = node.child(u"error");
        const QString code = error ? error->attributeString(u"code") : QString();
        const QString text = error ? error->attributeString(u"text") : QString();
        finish(id, core::Error::make(errc::kIqError, QStringLiteral("iq error %1 %2").arg(code, text),
                                     {{QStringLiteral("code"), code}, {QStringLiteral("text"), text}}));
        return true;
    }
    if (node.tag == QLatin1String("iq") && node.attributeString(u"type") != QLatin1String("result"))
        return false; // a server request that happens to reuse an id: not our answer
    finish(id, node);
    return true;
}

void Session::Private::finish(const QString &id, core::Result<Node> result)
{
    auto waiter = pending.take(id);
    if (!waiter)
        return;
    waiter->result.emplace(std::move(result));
    if (auto handle = waiter->handle) {
        // Resumed from the event loop, not from inside the node handler (which may be tearing the
        // connection down), and without a context object so a waiter still resumes after the session died.
        QTimer::singleShot(0, [handle] { handle.resume(); });
    }
}

void Session::Private::failAllWaiters(const QString &why)
{
    const QStringList ids = pending.keys();
    for (const QString &id : ids)
        finish(id, core::Error::make(errc::kNotConnected, QStringLiteral("connection closed: %1").arg(why)));
}

core::Status Session::acknowledge(const Node &stanza, int nackCode)
{
    auto ack = buildClientAck(stanza, nackCode);
    if (!ack)
        return ack.error();
    return send(*ack);
}

void Session::Private::ack(const Node &stanza)
{
    // §6.4: id, to = the stanza's from, class = its tag; type and participant copied when present.
    Node ack(QStringLiteral("ack"),
             {{QStringLiteral("id"), stanza.attributeString(u"id")}, {QStringLiteral("class"), stanza.tag}});
    if (const auto *from = stanza.attribute(u"from"))
        ack.setAttribute(QStringLiteral("to"), *from);
    for (const auto key : {u"type", u"participant", u"recipient"}) {
        if (const auto *value = stanza.attribute(key))
            ack.setAttribute(QString::fromUtf16(key), *value);
    }
    if (auto sent = sendNode(ack); !sent)
        qCDebug(lcWhatsApp).noquote() << "ack not sent:" << sent.error().code;
}

void Session::Private::sendIqIgnoringResult(Node iq)
{
    // Registered like a query so that the answer is consumed here instead of reaching the product.
    const QString id = nextId();
    iq.setAttribute(QStringLiteral("id"), id);
    if (auto sent = sendNode(iq); !sent) {
        qCInfo(lcWhatsApp).noquote() << "iq not sent:" << sent.error().code;
        return;
    }
    pending.insert(id, std::make_shared<PendingIq>());
    QTimer::singleShot(std::chrono::seconds(60), q,
                       [this, id] { finish(id, core::Error::make(errc::kIqTimeout, {})); });
}

} // namespace atende::server::whatsapp
