#include "tests/app/real_server.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <csignal>

namespace atende::test {

using atende::bench::HttpReply;

RealServer::RealServer() = default;

RealServer::~RealServer()
{
    m_server.stop();
    // `admin demo` may have started the embedded cluster; make sure it is down before its directory goes.
    QFile pidFile(m_server.dataDir() + QStringLiteral("/pgdata/postmaster.pid"));
    if (pidFile.open(QIODevice::ReadOnly)) {
        const pid_t pid = pid_t(pidFile.readLine().trimmed().toLongLong());
        if (pid > 0 && ::kill(pid, SIGINT) == 0)
            for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
                atende::bench::waitMs(100);
    }
}

QString RealServer::binary()
{
    const QString fromEnv = qEnvironmentVariable("ATENDE_SERVER_BINARY");
    return fromEnv.isEmpty() ? QStringLiteral(ATENDE_SERVER_BINARY_PATH) : fromEnv;
}

QString RealServer::start()
{
    if (!QFileInfo(binary()).isExecutable())
        return QStringLiteral("no atende-server at %1 (build the atende-server target)").arg(binary());
    if (!m_server.start(binary()))
        return QStringLiteral("atende-server did not become ready");
    const QByteArray out = m_server.runCommand({QStringLiteral("admin"), QStringLiteral("demo")});
    static const QRegularExpression line(QStringLiteral("^\\s+(admin|supervisor|agent)\\s+(\\S+@\\S+)\\s+(\\S+)\\s*$"));
    for (const QByteArray &l : out.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(l));
        if (m.hasMatch())
            m_users.insert(m.captured(1), {m.captured(2), m.captured(3)});
    }
    if (m_users.size() < 3)
        return QStringLiteral("admin demo printed no sign-ins");
    m_adminToken =
        atende::bench::login(port(), user(QStringLiteral("admin")).email, user(QStringLiteral("admin")).password);
    if (m_adminToken.isEmpty())
        return QStringLiteral("the demo admin cannot sign in");
    const HttpReply conn = call("POST", QStringLiteral("/api/v1/connections"),
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("Teste")},
                                            {QStringLiteral("kind"), QStringLiteral("test")}});
    m_connectionId = conn.json().value(QStringLiteral("id")).toString();
    if (m_connectionId.isEmpty())
        return QStringLiteral("cannot create a test connection: %1").arg(QString::fromUtf8(conn.body));
    return {};
}

QUrl RealServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

HttpReply RealServer::call(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    return atende::bench::httpRequest(port(), method, path, body, m_adminToken);
}

QJsonObject RealServer::customerSays(const QString &phone, const QString &name, const QString &body)
{
    return call("POST", QStringLiteral("/api/v1/connections/%1/inbound").arg(m_connectionId),
                QJsonObject{{QStringLiteral("senderPhone"), phone},
                            {QStringLiteral("senderName"), name},
                            {QStringLiteral("body"), body}})
        .json();
}

} // namespace atende::test
