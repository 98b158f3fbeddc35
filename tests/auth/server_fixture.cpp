#include "server_fixture.h"

#include "server/db/db_executor.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

namespace atende::test {

namespace {

server::security::PasswordHasher cheapHasher()
{
    server::security::Argon2Params p;
    p.memoryKiB = 256;
    p.iterations = 1;
    return server::security::PasswordHasher(p);
}

} // namespace

bool ServerFixture::start(const QString &name, const QStringList &extraArgs)
{
    const server::db::DbConfig db = freshDatabase(name);
    if (!startOn(databaseUrl(db), name, extraArgs))
        return false;
    return seed(QStringLiteral("acme"), QStringLiteral("Acme Ltda")) &&
           seed(QStringLiteral("globex"), QStringLiteral("Globex SA"));
}

bool ServerFixture::startPeer(const ServerFixture &first, const QString &name, const QStringList &extraArgs)
{
    m_tenants = first.m_tenants;
    return startOn(first.m_databaseUrl, name, extraArgs);
}

bool ServerFixture::startOn(const QString &url, const QString &name, const QStringList &extraArgs)
{
    m_databaseUrl = url;
    QStringList args{QStringLiteral("--database-url=") + m_databaseUrl, QStringLiteral("--port=0"),
                     QStringLiteral("--database-workers=2"),
                     QStringLiteral("--data-dir=") + QDir::tempPath() + QStringLiteral("/atende-fixture-") + name};
    args += extraArgs;
    auto cfg = server::core::ServerConfig::load(args, QProcessEnvironment());
    if (!cfg.ok()) {
        qWarning() << "config:" << cfg.error().message;
        return false;
    }
    m_server = std::make_unique<server::core::ServerApplication>(cfg.value());
    if (auto st = m_server->start(); !st.ok()) {
        qWarning() << "start:" << st.error().message;
        return false;
    }
    m_port = m_server->port();
    return true;
}

void ServerFixture::stop()
{
    if (!m_server)
        return;
    QSignalSpy stopped(m_server.get(), &server::core::ServerApplication::stopped);
    m_server->shutdown();
    if (stopped.count() == 0)
        stopped.wait(10000);
    m_server.reset();
}

bool ServerFixture::seed(const QString &slug, const QString &name)
{
    SeedTenant t;
    t.id = server::tenancy::TenantRepository::newId();
    t.slug = slug;
    t.name = name;
    for (const QString &role : {QStringLiteral("admin"), QStringLiteral("supervisor"), QStringLiteral("agent")})
        t.users.insert(role, SeedUser{{}, role + QLatin1Char('@') + slug + QStringLiteral(".example"),
                                      QStringLiteral("pw-%1-%2-long-enough").arg(slug, role), role});
    const QUuid tid = t.id;
    const SeedTenant copy = t;
    auto r = m_server->database()
                 ->runTenant(tid,
                             [copy](QSqlDatabase &d) -> atende::core::Result<QHash<QString, QUuid>> {
                                 auto created =
                                     server::tenancy::TenantRepository::create(d, copy.id, copy.name, copy.slug);
                                 if (!created.ok())
                                     return created.error();
                                 QHash<QString, QUuid> ids;
                                 for (const SeedUser &u : copy.users) {
                                     server::tenancy::NewUser nu{u.email, u.role + QStringLiteral(" of ") + copy.name,
                                                                 u.role, u.password};
                                     auto made = server::tenancy::UserRepository::create(d, copy.id, nu, cheapHasher());
                                     if (!made.ok())
                                         return made.error();
                                     ids.insert(u.role, made->id);
                                 }
                                 return ids;
                             })
                 .result();
    if (!r.ok()) {
        qWarning() << "seed:" << r.error().message;
        return false;
    }
    for (auto it = r->cbegin(); it != r->cend(); ++it)
        t.users[it.key()].id = it.value();
    m_tenants.insert(slug, t);
    return true;
}

TestResponse ServerFixture::call(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                 const QByteArray &bearer, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!bearer.isEmpty())
        raw += "Authorization: Bearer " + bearer + "\r\n";
    for (const auto &h : headers)
        raw += h.first + ": " + h.second + "\r\n";
    if (!body.isEmpty())
        raw += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    raw += "\r\n" + body;
    return rawRequest(m_port, raw);
}

TestResponse ServerFixture::callJson(const QByteArray &method, const QByteArray &path, const QJsonObject &body,
                                     const QByteArray &bearer)
{
    return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact), bearer);
}

QJsonObject ServerFixture::login(const QString &email, const QString &password)
{
    const TestResponse r = callJson("POST", "/api/v1/auth/login",
                                    QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    return r.status == 200 ? r.json() : QJsonObject{};
}

QByteArray ServerFixture::token(const QString &slug, const QString &role)
{
    const QString key = slug + QLatin1Char('/') + role;
    if (!m_tokens.contains(key)) {
        const SeedUser u = m_tenants.value(slug).users.value(role);
        m_tokens.insert(key, login(u.email, u.password).value(QStringLiteral("accessToken")).toString().toUtf8());
    }
    return m_tokens.value(key);
}

QStringList ServerFixture::superuserQuery(const QString &sql)
{
    QStringList out;
    const auto cfg = server::db::DbConfig::fromUrl(m_databaseUrl);
    if (!cfg.ok())
        return out;
    TestConnection conn(cfg.value());
    QSqlQuery q(conn.db());
    if (!q.exec(sql)) {
        qWarning() << "superuserQuery failed";
        return out;
    }
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

bool WsJsonClient::open(quint16 port)
{
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &t) {
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            m_events.append(o.value(QStringLiteral("event")).toObject());
        else
            m_frames.append(o);
    });
    bool hello = false;
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, [&hello](const QByteArray &) { hello = true; });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(port)));
    const bool ok = QTest::qWaitFor([&] { return hello; }, 5000); // the binary Hello frame
    QObject::disconnect(&socket, &QWebSocket::binaryMessageReceived, nullptr, nullptr);
    return ok;
}

QJsonObject WsJsonClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int ms)
{
    QJsonObject found;
    QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_frames.size(); ++i)
                if (match(m_frames[i])) {
                    found = m_frames.takeAt(i);
                    return true;
                }
            return false;
        },
        ms);
    return found;
}

QJsonObject WsJsonClient::call(const QString &op, const QJsonObject &body, const QString &accessToken)
{
    const QString id = QString::number(m_next++);
    QJsonObject f{{QStringLiteral("id"), id}, {QStringLiteral("op"), op}, {QStringLiteral("body"), body}};
    if (!accessToken.isEmpty())
        f.insert(QStringLiteral("access_token"), accessToken);
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
    return waitFor([&](const QJsonObject &o) { return o.value(QStringLiteral("id")).toString() == id; }, 10000);
}

QJsonObject WsJsonClient::authenticate(const QString &accessToken)
{
    const QString id = QString::number(m_next++);
    const QJsonObject f{{QStringLiteral("id"), id}, {QStringLiteral("access_token"), accessToken}};
    socket.sendTextMessage(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
    return waitFor(
        [&](const QJsonObject &o) {
            return o.contains(QStringLiteral("session")) || o.value(QStringLiteral("id")).toString() == id;
        },
        10000);
}

bool WsJsonClient::waitForEvents(int n, int ms)
{
    return QTest::qWaitFor([&] { return m_events.size() >= n; }, ms);
}

} // namespace atende::test
