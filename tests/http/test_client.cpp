#include "test_client.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

namespace atende::test {

QByteArray RawResponse::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

qsizetype parseResponse(const QByteArray &buffer, RawResponse *out, bool headRequest)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return 0;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    RawResponse r;
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
        return 0;
    r.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    qsizetype length = 0;
    const bool bodyless = headRequest || r.status < 200 || r.status == 204 || r.status == 304;
    if (!bodyless)
        length = r.header("content-length").toLongLong();
    const qsizetype total = headEnd + 4 + length;
    if (buffer.size() < total)
        return 0;
    r.body = buffer.mid(headEnd + 4, length);
    *out = std::move(r);
    return total;
}

std::optional<RawResponse> readResponse(QTcpSocket &socket, QByteArray &pending, int timeoutMs, bool headRequest)
{
    RawResponse response;
    qsizetype used = 0;
    (void)QTest::qWaitFor(
        [&] {
            pending += socket.readAll();
            used = parseResponse(pending, &response, headRequest);
            return used > 0 || socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    if (used == 0) {
        pending += socket.readAll();
        used = parseResponse(pending, &response, headRequest);
    }
    if (used == 0)
        return std::nullopt;
    pending.remove(0, used);
    return response;
}

bool connectLocal(QTcpSocket &socket, quint16 port, int timeoutMs)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

bool waitForClosed(QTcpSocket &socket, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            socket.readAll(); // a socket with unread data may not notice the close
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

std::optional<RawResponse> fetch(quint16 port, const QByteArray &request, int timeoutMs)
{
    QTcpSocket socket;
    if (!connectLocal(socket, port, timeoutMs))
        return std::nullopt;
    socket.write(request);
    QByteArray pending;
    return readResponse(socket, pending, timeoutMs, request.startsWith("HEAD "));
}

} // namespace atende::test
