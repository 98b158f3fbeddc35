#include "http_test_client.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

namespace atende::test {

QByteArray TestResponse::header(const QByteArray &lowerName) const
{
    for (const auto &[k, v] : headers)
        if (k == lowerName)
            return v;
    return {};
}

QJsonObject TestResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

namespace {
// Parses a complete response from buf; returns false while more bytes are needed.
bool parse(const QByteArray &buf, TestResponse *out)
{
    const qsizetype end = buf.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = buf.left(end).split('\n');
    TestResponse r;
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
    }
    if (buf.size() < end + 4 + length)
        return false;
    r.body = buf.mid(end + 4, length);
    *out = r;
    return true;
}
} // namespace

TestResponse rawRequest(quint16 port, const QByteArray &raw, int timeoutMs)
{
    QTcpSocket socket;
    bool failed = false;
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, [&failed] { failed = true; });
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!QTest::qWaitFor([&] { return failed || socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs) ||
        socket.state() != QAbstractSocket::ConnectedState)
        return {};
    socket.write(raw);
    QByteArray buf;
    TestResponse r;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QTest::qWait(1);
        buf += socket.readAll();
        if (parse(buf, &r))
            return r;
        if (socket.state() != QAbstractSocket::ConnectedState) {
            buf += socket.readAll();
            parse(buf, &r);
            return r;
        }
    }
    return {};
}

TestResponse httpGet(quint16 port, const QByteArray &path)
{
    return rawRequest(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

TestResponse httpPost(quint16 port, const QByteArray &path, const QByteArray &body, const QByteArray &contentType)
{
    return rawRequest(port, "POST " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + contentType +
                                "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

} // namespace atende::test
