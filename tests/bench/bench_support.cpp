#include "tests/bench/bench_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <csignal>

namespace atende::bench {

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double percentileMs(std::vector<qint64> &v, double p)
{
    if (v.empty())
        return 0;
    const size_t idx = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + qsizetype(idx), v.end());
    return double(v[idx]) / 1e6;
}

qint64 rssOfPid(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    return 0;
}

BenchServer::BenchServer()
    : m_data(QDir::tempPath() + QStringLiteral("/atende-bench-XXXXXX"))
{
    // The cluster user (when running as root) must be able to enter the directory.
    QFile::setPermissions(m_data.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                             QFileDevice::ExeOther);
}

BenchServer::~BenchServer()
{
    stop();
}

bool BenchServer::start(const QString &binary, const QStringList &extraArgs)
{
    m_binary = binary;
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    m_port = probe.serverPort();
    probe.close();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args{QStringLiteral("--data-dir=") + dataDir(), QStringLiteral("--port=%1").arg(m_port),
                     QStringLiteral("--log-level=warning"), QStringLiteral("--rate-limit-ip-per-second=0"),
                     QStringLiteral("--rate-limit-user-per-second=0")};
    m_process.start(binary, args + extraArgs);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 60000 && m_process.state() != QProcess::NotRunning) {
        waitMs(200);
        if (httpRequest(m_port, "GET", QStringLiteral("/readyz")).status == 200)
            return true;
    }
    return false;
}

QByteArray BenchServer::runCommand(const QStringList &args) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(m_binary, args + QStringList{QStringLiteral("--data-dir=") + dataDir(), QStringLiteral("--log-level=warning")});
    p.waitForFinished(120000);
    return p.readAllStandardOutput();
}

void BenchServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    m_process.waitForFinished(20000);
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpReply httpRequest(quint16 port, const QByteArray &method, const QString &path, const QJsonObject &body,
                      const QByteArray &bearer)
{
    HttpReply reply;
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(2000))
        return reply;
    const QByteArray payload = body.isEmpty() && method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray req = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!bearer.isEmpty())
        req += "Authorization: Bearer " + bearer + "\r\n";
    if (!payload.isEmpty())
        req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(payload.size()) + "\r\n";
    req += "\r\n" + payload;
    s.write(req);
    QByteArray all;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 60000 && (s.state() == QAbstractSocket::ConnectedState || s.bytesAvailable() > 0)) {
        if (!s.waitForReadyRead(1000) && s.state() != QAbstractSocket::ConnectedState)
            break;
        all += s.readAll();
    }
    all += s.readAll();
    const qsizetype headerEnd = all.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return reply;
    reply.status = all.mid(9, 3).toInt();
    reply.body = all.mid(headerEnd + 4);
    return reply;
}

QByteArray login(quint16 port, const QString &email, const QString &password)
{
    const HttpReply r = httpRequest(port, "POST", QStringLiteral("/api/v1/auth/login"),
                                    QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    return r.json().value(QStringLiteral("accessToken")).toString().toUtf8();
}

} // namespace atende::bench
