#include "tests/e2e/e2e_desk.h"

#include "tests/api/http_test_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrlQuery>

#include <cstdio>

namespace atende::e2e {

namespace {
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

bool DeskClient::login(const QString &email, const QString &password)
{
    const ApiReply r = call("POST", QStringLiteral("/api/v1/auth/login"),
                            QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    m_token = str(r.json, "accessToken").toUtf8();
    return !m_token.isEmpty();
}

ApiReply DeskClient::call(const QByteArray &method, const QString &path, const QJsonObject &body) const
{
    const QByteArray payload = method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray raw = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!m_token.isEmpty())
        raw += "Authorization: Bearer " + m_token + "\r\n";
    raw += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" +
           payload;
    const test::TestResponse r = test::rawRequest(m_port, raw, 20000);
    return ApiReply{r.status, r.json()};
}

QJsonObject DeskClient::ticketOf(const QString &phone) const
{
    for (const char *view : {"waiting", "mine", "team"}) {
        const ApiReply r = call("GET", QStringLiteral("/api/v1/tickets?view=%1&limit=200").arg(QLatin1String(view)));
        for (const QJsonValue v : r.json.value(QStringLiteral("tickets")).toArray())
            if (str(v.toObject(), "contactPhone").endsWith(phone) || phone.endsWith(str(v.toObject(), "contactPhone")))
                if (!str(v.toObject(), "contactPhone").isEmpty())
                    return v.toObject();
    }
    return {};
}

QList<QJsonObject> DeskClient::messages(const QString &ticketId) const
{
    QList<QJsonObject> all;
    QString before;
    for (int page = 0; page < 100; ++page) {
        QString path = QStringLiteral("/api/v1/tickets/%1/messages?limit=200").arg(ticketId);
        if (!before.isEmpty())
            path += QStringLiteral("&before=") + QString::fromLatin1(QUrl::toPercentEncoding(before));
        const ApiReply r = call("GET", path);
        if (r.status != 200)
            break;
        QList<QJsonObject> chunk;
        for (const QJsonValue v : r.json.value(QStringLiteral("messages")).toArray())
            chunk.append(v.toObject());
        all = chunk + all;
        before = str(r.json, "olderCursor");
        if (!r.json.value(QStringLiteral("hasOlder")).toBool() || before.isEmpty())
            break;
    }
    return all;
}

QJsonObject DeskClient::reply(const QString &ticketId, const QString &body, const QString &clientRequestId) const
{
    QJsonObject req{{QStringLiteral("body"), body}};
    if (!clientRequestId.isEmpty())
        req.insert(QStringLiteral("clientRequestId"), clientRequestId);
    const ApiReply r = call("POST", QStringLiteral("/api/v1/tickets/%1/messages").arg(ticketId), req);
    return r.status == 200 ? r.json : QJsonObject{};
}

bool DeskClient::openEvents()
{
    m_ws = std::make_unique<QWebSocket>();
    bool hello = false;
    bool session = false;
    QObject::connect(m_ws.get(), &QWebSocket::binaryMessageReceived, [&hello](const QByteArray &) { hello = true; });
    QObject::connect(m_ws.get(), &QWebSocket::textMessageReceived, [this, &session](const QString &t) {
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (qEnvironmentVariableIsSet("E2E_DEBUG"))
            std::printf("ws: %s\n", qPrintable(t.left(300)));
        if (o.contains(QStringLiteral("event")))
            m_events.append(o.value(QStringLiteral("event")).toObject());
        else if (o.contains(QStringLiteral("session")) ||
                 o.value(QStringLiteral("id")).toString() == QLatin1String("1"))
            session = !o.contains(QStringLiteral("error"));
    });
    m_ws->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(m_port)));
    if (!QTest::qWaitFor([&] { return hello; }, 10000)) {
        std::printf("no WebSocket hello: %s\n", qPrintable(m_ws->errorString()));
        return false;
    }
    QObject::disconnect(m_ws.get(), &QWebSocket::binaryMessageReceived, nullptr, nullptr);
    const QJsonObject auth{{QStringLiteral("id"), QStringLiteral("1")},
                           {QStringLiteral("access_token"), QString::fromUtf8(m_token)}};
    m_ws->sendTextMessage(QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
    const bool ok = QTest::qWaitFor([&] { return session; }, 10000);
    // `session` lives on this frame: later text frames must not touch it.
    QObject::disconnect(m_ws.get(), &QWebSocket::textMessageReceived, nullptr, nullptr);
    QObject::connect(m_ws.get(), &QWebSocket::textMessageReceived, [this](const QString &t) {
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            m_events.append(o.value(QStringLiteral("event")).toObject());
    });
    return ok;
}

QList<QJsonObject> inboundOf(const QList<QJsonObject> &messages)
{
    QList<QJsonObject> out;
    for (const QJsonObject &m : messages)
        if (str(m, "kind") == QLatin1String("inbound"))
            out.append(m);
    return out;
}

} // namespace atende::e2e
