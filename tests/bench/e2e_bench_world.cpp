#include "tests/bench/e2e_bench_world.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

namespace atende::bench {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool waitUntil(const std::function<bool()> &condition, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms)
            return false;
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

namespace {
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

bool E2eWorld::fail(const QString &why)
{
    m_error = why;
    return false;
}

bool E2eWorld::start(const QString &serverBinary, const QString &wasimBinary, int connections)
{
    if (!m_wasim.start(wasimBinary))
        return fail(QStringLiteral("atende-wasim did not start"));
    if (!m_server.start(serverBinary, QStringList{QStringLiteral("--whatsapp-url=") + m_wasim.wsUrl(),
                                                  QStringLiteral("--whatsapp-trust-root=") + m_wasim.trustRoot(),
                                                  QStringLiteral("--whatsapp-trust-root-serial=0")}))
        return fail(QStringLiteral("atende-server did not become ready"));
    const QByteArray demo = m_server.runCommand(
        QStringList{QStringLiteral("admin"), QStringLiteral("demo"), QStringLiteral("--slug=bench")});
    static const QRegularExpression line(QStringLiteral("^\\s+(admin|agent)\\s+(\\S+@\\S+)\\s+(\\S+)\\s*$"));
    for (const QByteArray &l : demo.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(l));
        if (m.hasMatch())
            (m.captured(1) == QLatin1String("admin") ? m_adminToken : m_agentToken) =
                login(m_server.port(), m.captured(2), m.captured(3));
    }
    if (m_adminToken.isEmpty() || m_agentToken.isEmpty())
        return fail(QStringLiteral("demo sign-in failed"));
    if (!openEvents())
        return fail(QStringLiteral("agent WebSocket"));

    for (int i = 0; i < connections; ++i) {
        Line l;
        l.businessPhone = QStringLiteral("55119%1").arg(5000000 + i, 8, 10, QLatin1Char('0'));
        l.customerPhone = QStringLiteral("55219%1").arg(7000000 + i, 8, 10, QLatin1Char('0'));
        if (m_wasim
                .admin("POST", QStringLiteral("/admin/users"),
                       QJsonObject{{QStringLiteral("phone"), l.businessPhone},
                                   {QStringLiteral("push_name"), QStringLiteral("Loja %1").arg(i + 1)}})
                .status != 201)
            return fail(QStringLiteral("wasim user %1").arg(l.businessPhone));
        if (!pair(l))
            return false;
        const e2e::AdminReply c =
            m_wasim.admin("POST", QStringLiteral("/admin/customers"),
                          QJsonObject{{QStringLiteral("phone"), l.customerPhone},
                                      {QStringLiteral("push_name"), QStringLiteral("Cliente %1").arg(i + 1)}});
        if (c.status != 200 && c.status != 201)
            return fail(
                QStringLiteral("POST /admin/customers answered %1 (simulated customers missing?)").arg(c.status));
        lines.append(l);
    }
    // One conversation per line: the customer's first message opens a ticket, the agent accepts it.
    for (Line &l : lines) {
        const e2e::AdminReply s = m_wasim.admin(
            "POST", QStringLiteral("/admin/customers/%1/send").arg(l.customerPhone),
            QJsonObject{{QStringLiteral("to"), l.businessPhone}, {QStringLiteral("text"), QStringLiteral("olá")}});
        if (s.status != 200 && s.status != 201)
            return fail(QStringLiteral("customer send answered %1").arg(s.status));
    }
    for (Line &l : lines) {
        const bool found = waitUntil(
            [&] {
                const HttpReply r =
                    httpRequest(m_server.port(), "GET",
                                QStringLiteral("/api/v1/tickets?view=waiting&limit=200&connectionId=") + l.connectionId,
                                {}, m_agentToken);
                const QJsonArray tickets = r.json().value(QStringLiteral("tickets")).toArray();
                if (!tickets.isEmpty())
                    l.ticketId = str(tickets.first().toObject(), "id");
                return !l.ticketId.isEmpty();
            },
            30000);
        if (!found)
            return fail(QStringLiteral("no ticket on connection %1").arg(l.connectionId));
        if (httpRequest(m_server.port(), "POST", QStringLiteral("/api/v1/tickets/%1/accept").arg(l.ticketId), {},
                        m_agentToken)
                .status != 200)
            return fail(QStringLiteral("accept failed"));
    }
    return true;
}

bool E2eWorld::pair(Line &l)
{
    const quint16 port = m_server.port();
    const HttpReply created = httpRequest(port, "POST", QStringLiteral("/api/v1/connections"),
                                          QJsonObject{{QStringLiteral("name"), QStringLiteral("WA ") + l.businessPhone},
                                                      {QStringLiteral("kind"), QStringLiteral("whatsapp")}},
                                          m_adminToken);
    l.connectionId = str(created.json(), "id");
    if (l.connectionId.isEmpty())
        return fail(QStringLiteral("connections.create: %1").arg(QString::fromUtf8(created.body)));
    httpRequest(port, "POST", QStringLiteral("/api/v1/connections/%1/pairing").arg(l.connectionId),
                QJsonObject{{QStringLiteral("method"), QStringLiteral("qr")}}, m_adminToken);
    QString qr;
    waitUntil(
        [&] {
            const QJsonObject p =
                httpRequest(port, "GET", QStringLiteral("/api/v1/connections/%1/pairing").arg(l.connectionId), {},
                            m_adminToken)
                    .json();
            if (str(p, "kind") == QLatin1String("qr"))
                qr = str(p, "value");
            return !qr.isEmpty();
        },
        30000);
    if (qr.isEmpty())
        return fail(QStringLiteral("no QR for %1").arg(l.businessPhone));
    if (m_wasim
            .admin("POST", QStringLiteral("/admin/scan"),
                   QJsonObject{{QStringLiteral("qr"), qr}, {QStringLiteral("phone"), l.businessPhone}})
            .status != 200)
        return fail(QStringLiteral("scan failed"));
    const bool up = waitUntil(
        [&] {
            const QJsonObject h =
                httpRequest(port, "GET", QStringLiteral("/api/v1/connections/%1/health").arg(l.connectionId), {},
                            m_adminToken)
                    .json();
            return str(h, "state") == QLatin1String("connected");
        },
        30000);
    return up || fail(QStringLiteral("connection %1 did not connect").arg(l.businessPhone));
}

bool E2eWorld::openEvents()
{
    bool hello = false, session = false;
    QObject::connect(&m_ws, &QWebSocket::binaryMessageReceived, &m_ws, [&hello](const QByteArray &) { hello = true; });
    QObject::connect(&m_ws, &QWebSocket::textMessageReceived, &m_ws, [this, &session](const QString &t) {
        const qint64 at = nowMs();
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            events.append(TimedEvent{at, o.value(QStringLiteral("event")).toObject()});
        else if (o.contains(QStringLiteral("session")))
            session = true;
    });
    m_ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(m_server.port())));
    if (!waitUntil([&] { return hello; }, 10000))
        return false;
    m_ws.sendTextMessage(
        QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("1")},
                                                    {QStringLiteral("access_token"), QString::fromUtf8(m_agentToken)}})
                              .toJson(QJsonDocument::Compact)));
    const bool ok = waitUntil([&] { return session; }, 10000);
    QObject::disconnect(&m_ws, nullptr, nullptr, nullptr);
    QObject::connect(&m_ws, &QWebSocket::textMessageReceived, &m_ws, [this](const QString &t) {
        const qint64 at = nowMs();
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            events.append(TimedEvent{at, o.value(QStringLiteral("event")).toObject()});
    });
    return ok;
}

namespace {
void request(QNetworkAccessManager &net, const QUrl &url, const QByteArray &method, const QJsonObject &body,
             const QByteArray &bearer, int *inFlight, std::function<void(int, QJsonObject)> done)
{
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    ++*inFlight;
    QNetworkReply *reply = net.sendCustomRequest(
        req, method, method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, inFlight, done = std::move(done)] {
        --*inFlight;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        done(status, QJsonDocument::fromJson(reply->readAll()).object());
        reply->deleteLater();
    });
}
} // namespace

void E2eWorld::adminAsync(const QByteArray &method, const QString &path, const QJsonObject &body,
                          std::function<void(int, QJsonObject)> done)
{
    request(m_net, QUrl(m_wasim.adminUrl() + path), method, body, {}, &m_inFlight, std::move(done));
}

void E2eWorld::apiAsync(const QByteArray &method, const QString &path, const QJsonObject &body,
                        std::function<void(int, QJsonObject)> done)
{
    request(m_net, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.port()) + path), method, body, m_agentToken,
            &m_inFlight, std::move(done));
}

} // namespace atende::bench
