#pragma once
// A tiny HTTP/1.1 client for transport tests. Server and client share the test's thread, so every wait
// spins the event loop (QTest::qWaitFor) instead of blocking on the client socket.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <optional>

class QTcpSocket;

namespace atende::test {

struct RawResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &lowerName) const;
};

// Parses one response from the front of `buffer`. Returns the bytes it used, or 0 if it is incomplete.
// A HEAD response has no body whatever its Content-Length says, hence `headRequest`.
qsizetype parseResponse(const QByteArray &buffer, RawResponse *out, bool headRequest = false);

// Waits for one complete response on `socket`. Bytes read past it stay in `pending` for the next call.
std::optional<RawResponse> readResponse(QTcpSocket &socket, QByteArray &pending, int timeoutMs = 5000,
                                        bool headRequest = false);

// Connects a plain TCP socket to 127.0.0.1:port, spinning the event loop.
bool connectLocal(QTcpSocket &socket, quint16 port, int timeoutMs = 5000);

// Waits until the peer closed the connection.
bool waitForClosed(QTcpSocket &socket, int timeoutMs = 5000);

// One request on a fresh connection; the response or nullopt.
std::optional<RawResponse> fetch(quint16 port, const QByteArray &request, int timeoutMs = 5000);

} // namespace atende::test
