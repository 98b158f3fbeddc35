// The Messenger's lifecycle and the stanzas handled on the spot: chat states and presence (never queued, never
// acknowledged, §6.9), plus the small outgoing stanzas (chat state, read receipts, presence).
#include "server/messenger/messenger_private.h"

#include <QTimeZone>

#include "server/messenger/error_codes.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/presence_stanza.h"

namespace atende::server::messenger {

Q_LOGGING_CATEGORY(lcMessenger, "atende.server.messenger")

using namespace whatsapp;

Messenger::Private::Private(Messenger *q_, Session &session_, signal::SignalAccount &account_,
                            MessengerHandler &handler_, MessengerOptions options_)
    : q(q_)
    , session(session_)
    , account(account_)
    , handler(handler_)
    , options(options_)
    , devices(options_.deviceListTtl, options_.deviceCacheSize)
{}

Jid Messenger::Private::ownPn() const
{
    const auto &jid = session.credentials().jid;
    return jid ? *jid : Jid();
}

std::optional<Jid> Messenger::Private::ownLid() const
{
    return session.credentials().lid;
}

bool Messenger::Private::isOwnUser(const Jid &jid) const
{
    const Jid pn = ownPn();
    if (jid.server == Jid::kLidServer || jid.server == Jid::kHostedLidServer) {
        const auto lid = ownLid();
        return lid && lid->user == jid.user;
    }
    return !pn.user.isEmpty() && pn.user == jid.user;
}

Messenger::Messenger(Session &session, signal::SignalAccount &account, MessengerHandler &handler,
                     MessengerOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, session, account, handler, options))
{
    connect(&session, &Session::stanzaReceived, this, [this](const Node &stanza) {
        const QString &tag = stanza.tag;
        if (tag == u"message" || tag == u"receipt" || tag == u"notification") {
            d->enqueue(stanza);
        } else if (tag == u"chatstate") {
            auto parsed = parseChatState(stanza);
            if (!parsed)
                return; // never acked; a malformed one is dropped
            ChatStateEvent event;
            event.from = parsed->participant ? userOf(*parsed->participant) : userOf(parsed->from);
            event.composing = parsed->state != ChatState::Paused;
            d->handler.onChatState(event);
        } else if (tag == u"presence") {
            auto parsed = parsePresence(stanza);
            if (!parsed)
                return;
            PresenceEvent event;
            event.from = userOf(parsed->from);
            event.available = parsed->available;
            if (parsed->lastSeen && *parsed->lastSeen > 0)
                event.lastSeen = QDateTime::fromSecsSinceEpoch(*parsed->lastSeen, Qt::UTC);
            d->handler.onPresence(event);
        } else if (tag == u"call") {
            (void)d->session.acknowledge(stanza); // calls are not handled; acked so they are not redelivered
        }
    });
    connect(&session, &Session::stateChanged, this, [this](SessionState state, const QString &) {
        // Stanzas not yet started will be delivered again (offline) by the next connection: drop them so
        // each is processed once per delivery. The one in flight finishes (its receipt goes out later).
        if (state != SessionState::Connected)
            d->inbox.clear();
    });
}

Messenger::~Messenger()
{
    d->life->alive = false;
}

core::Status Messenger::sendChatState(const Jid &to, bool composing)
{
    if (to.user.isEmpty())
        return core::Error::make(errc::kInvalidRecipient, QStringLiteral("no recipient"));
    return d->session.send(buildChatState(userOf(to), composing ? ChatState::Composing : ChatState::Paused));
}

core::Status Messenger::sendRead(const Jid &sender, const QStringList &ids)
{
    if (ids.isEmpty() || sender.user.isEmpty())
        return core::Error::make(errc::kInvalidRecipient, QStringLiteral("no message ids or sender"));
    OutgoingReceipt read;
    read.id = ids.first();
    read.moreIds = ids.mid(1);
    read.to = sender;
    read.type = QStringLiteral("read");
    read.timestamp = QDateTime::currentSecsSinceEpoch();
    auto node = buildReceipt(read);
    if (!node)
        return node.error();
    return d->session.send(*node);
}

core::Status Messenger::sendPresence(bool available)
{
    return d->session.send(buildPresence(available, d->session.credentials().pushName));
}

core::Status Messenger::subscribePresence(const Jid &user)
{
    if (user.user.isEmpty())
        return core::Error::make(errc::kInvalidRecipient, QStringLiteral("no user"));
    return d->session.send(buildPresenceSubscribe(userOf(user)));
}

Jid Messenger::ownPn() const
{
    return userOf(d->ownPn());
}

std::optional<Jid> Messenger::ownLid() const
{
    const auto lid = d->ownLid();
    if (!lid)
        return std::nullopt;
    return userOf(*lid);
}

QCoro::Task<core::Result<QString>> Messenger::sendText(Jid to, QString text, SendOptions options)
{
    QByteArray message = buildTextMessage(text, options.quote);
    auto sending = d->send(std::move(to), std::move(message), std::move(options.id));
    core::Result<QString> result = co_await sending;
    co_return result;
}

QCoro::Task<core::Result<QString>> Messenger::sendMessage(Jid to, QByteArray message, SendOptions options)
{
    auto sending = d->send(std::move(to), std::move(message), std::move(options.id));
    core::Result<QString> result = co_await sending;
    co_return result;
}

} // namespace atende::server::messenger
