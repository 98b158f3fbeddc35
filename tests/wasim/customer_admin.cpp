// /admin/customers…: simulated customers scripted over HTTP (README "Simulated customers"). Endpoints that
// need the network (creating a customer, sending) answer once it has answered: 201 when the customer's
// device is logged in, the message id when the server acked the message.
#include "server/messenger/error_codes.h"
#include "server/whatsapp/error_codes.h"
#include "tests/wasim/admin_api.h"
#include "tests/wasim/customer.h"
#include "tests/wasim/simulator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace atende::wasim {

using server::api::HttpRequest;
using server::api::HttpResponder;
using server::api::HttpResponse;
using server::whatsapp::Jid;

namespace {

constexpr int kLinkTimeoutMs = 30000;
constexpr qsizetype kMaxText = 65536;
constexpr qsizetype kMaxReadIds = 1000;

HttpResponse json(int status, const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return HttpResponse::json(status, doc.toJson(QJsonDocument::Compact));
}

HttpResponse error(int status, const QString &code, const QString &message)
{
    return json(status, QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
}

// "15550000002", "+15550000002" or a JID → the user JID.
std::optional<Jid> recipient(const QJsonValue &value)
{
    QString text = value.toString().trimmed();
    if (text.startsWith(u'+'))
        text.remove(0, 1);
    if (text.contains(u'@')) {
        auto jid = Jid::parse(text);
        if (!jid || jid->user.isEmpty())
            return std::nullopt;
        return Jid::make(jid->user, jid->server);
    }
    if (text.isEmpty() || text.size() > 20 ||
        !std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); }))
        return std::nullopt;
    return Jid::make(text, QString(Jid::kUserServer));
}

HttpResponse sendFailure(const core::Error &e)
{
    if (e.code == QLatin1String(server::whatsapp::errc::kNotConnected))
        return error(409, QStringLiteral("wasim_not_connected"), QStringLiteral("the customer is not connected"));
    if (e.code == QLatin1String(server::messenger::errc::kPeerUnknown))
        return error(404, QStringLiteral("wasim_unknown_recipient"), QStringLiteral("the recipient is not a user"));
    return error(409, QStringLiteral("wasim_send_failed"), QStringLiteral("sending failed: %1").arg(e.code));
}

QCoro::Task<> runSend(QPointer<Customer> customer, Jid to, QString text, server::messenger::SendOptions options,
                      HttpResponder responder)
{
    auto sending = customer->messenger()->sendText(to, text, options);
    core::Result<QString> sent = co_await sending;
    if (!sent) {
        responder.send(sendFailure(sent.error()));
        co_return;
    }
    responder.send(json(200, QJsonObject{{QStringLiteral("id"), *sent},
                                         {QStringLiteral("acked_at_ms"), QDateTime::currentMSecsSinceEpoch()}}));
}

// Answers 201 once the customer is connected (or an error when linking fails or takes too long).
void answerWhenLinked(Customer *customer, HttpResponder responder)
{
    if (customer->isConnected()) {
        responder.send(json(201, customer->toJson()));
        return;
    }
    auto done = std::make_shared<bool>(false);
    auto *context = new QObject(customer);
    QObject::connect(customer, &Customer::connectedChanged, context, [=](bool connected) {
        if (!connected || *done)
            return;
        *done = true;
        responder.send(json(201, customer->toJson()));
        context->deleteLater();
    });
    QObject::connect(customer, &Customer::failed, context, [=](const QString &reason) {
        if (*done)
            return;
        *done = true;
        responder.send(error(409, QStringLiteral("wasim_customer_link_failed"),
                             QStringLiteral("linking the customer's device failed: %1").arg(reason)));
        context->deleteLater();
    });
    QTimer::singleShot(kLinkTimeoutMs, context, [=] {
        if (*done)
            return;
        *done = true;
        responder.send(error(409, QStringLiteral("wasim_customer_link_timeout"),
                             QStringLiteral("the customer's device did not log in in time")));
        context->deleteLater();
    });
}

} // namespace

void AdminApi::customers(const HttpRequest &request, HttpResponder responder)
{
    const QString path = QString::fromUtf8(request.path);
    const QByteArray &method = request.method;
    auto reply = [&](const HttpResponse &response) {
        responder.send(response);
    };
    auto badMethod = [&] {
        reply(error(405, QStringLiteral("method_not_allowed"), QStringLiteral("method not allowed")));
    };
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return reply(error(400, QStringLiteral("bad_json"), QStringLiteral("body must be a JSON object")));
        body = doc.object();
    }

    if (path == u"/admin/customers") {
        if (method == "GET") {
            QJsonArray out;
            for (Customer *c : m_sim.customers())
                out.append(c->toJson());
            return reply(json(200, out));
        }
        if (method != "POST")
            return badMethod();
        const QString phone = body.value(u"phone").toString();
        auto created = m_sim.createCustomer(phone, body.value(u"push_name").toString());
        if (!created) {
            const int status = created.error().code == u"wasim_customer_exists" ? 409 : 400;
            return reply(error(status, created.error().code, created.error().message));
        }
        return answerWhenLinked(*created, std::move(responder));
    }

    const QStringList parts = path.mid(QStringLiteral("/admin/customers/").size()).split(u'/');
    if (parts.size() > 2)
        return reply(error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")));
    Customer *customer = m_sim.customer(parts[0]);
    if (!customer)
        return reply(error(404, QStringLiteral("wasim_unknown_customer"), QStringLiteral("no such customer")));
    const QString action = parts.size() == 2 ? parts[1] : QString();
    if (action.isEmpty() || action == u"inbox") {
        if (method != "GET")
            return badMethod();
        if (action.isEmpty())
            return reply(json(200, customer->toJson()));
        bool ok = true;
        const QString afterText = request.query.queryItemValue(QStringLiteral("after"));
        const qint64 after = afterText.isEmpty() ? 0 : afterText.toLongLong(&ok);
        if (!ok || after < 0)
            return reply(error(400, QStringLiteral("wasim_bad_after"), QStringLiteral("after must be a number ≥ 0")));
        return reply(json(200, customer->inboxJson(after)));
    }
    if (method != "POST")
        return badMethod();
    if (action == u"offline") {
        customer->stop();
        return reply(json(200, customer->toJson()));
    }
    if (action == u"online") {
        if (!customer->isOnline())
            customer->start();
        return answerWhenLinked(customer, std::move(responder));
    }
    const auto to = recipient(body.value(u"to"));
    if (!to)
        return reply(error(400, QStringLiteral("wasim_bad_recipient"),
                           QStringLiteral("to must be a phone number or a user JID")));
    if (action == u"send") {
        const QJsonValue text = body.value(u"text");
        if (!text.isString() || text.toString().isEmpty() || text.toString().size() > kMaxText)
            return reply(error(400, QStringLiteral("wasim_bad_text"),
                               QStringLiteral("text must be a non-empty string of at most 65536 characters")));
        if (!customer->isConnected())
            return reply(error(409, QStringLiteral("wasim_not_connected"), QStringLiteral("the customer is offline")));
        server::messenger::SendOptions options;
        if (body.contains(u"quote_id")) {
            const QString quoteId = body.value(u"quote_id").toString();
            if (quoteId.isEmpty())
                return reply(
                    error(400, QStringLiteral("wasim_bad_quote"), QStringLiteral("quote_id must be a string")));
            server::whatsapp::OutgoingQuote quote{quoteId, to->toString(), {}};
            for (const CustomerMessage &m : customer->messages())
                if (m.message.id == quoteId) {
                    quote.participant = Jid::make(m.message.sender.user, m.message.sender.server).toString();
                    quote.text = m.message.content.text;
                }
            options.quote = quote;
        }
        runSend(customer, *to, text.toString(), options, std::move(responder));
        return;
    }
    if (action == u"typing") {
        const QString state = body.value(u"state").toString();
        if (state != u"composing" && state != u"paused")
            return reply(error(400, QStringLiteral("wasim_bad_state"),
                               QStringLiteral("state must be \"composing\" or \"paused\"")));
        const core::Status s = customer->messenger()->sendChatState(*to, state == u"composing");
        return reply(s ? json(200, QJsonObject{{QStringLiteral("ok"), true}}) : sendFailure(s.error()));
    }
    if (action == u"read") {
        const QJsonArray ids = body.value(u"ids").toArray();
        QStringList list;
        for (const QJsonValue &id : ids)
            if (id.isString() && !id.toString().isEmpty())
                list.append(id.toString());
        if (list.isEmpty() || list.size() != ids.size() || list.size() > kMaxReadIds)
            return reply(error(400, QStringLiteral("wasim_bad_ids"),
                               QStringLiteral("ids must be 1..1000 non-empty message id strings")));
        // Addressed to the user: the server forwards it to every device of theirs (the sender among them).
        const core::Status s = customer->messenger()->sendRead(*to, list);
        return reply(s ? json(200, QJsonObject{{QStringLiteral("ok"), true}}) : sendFailure(s.error()));
    }
    reply(error(404, QStringLiteral("not_found"), QStringLiteral("no such customer action")));
}

} // namespace atende::wasim
