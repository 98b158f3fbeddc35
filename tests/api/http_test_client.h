#pragma once
// Minimal HTTP/1.1 client for tests: sends raw bytes (so tests can send malformed requests too) and reads
// one response (Content-Length bodies), spinning the event loop while it waits so an in-process server
// keeps running.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace atende::test {

struct TestResponse {
    int status = 0; // 0: no response (connection closed or timeout)
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const QByteArray &lowerName) const;
    QJsonObject json() const;
};

TestResponse rawRequest(quint16 port, const QByteArray &raw, int timeoutMs = 10000);
TestResponse httpGet(quint16 port, const QByteArray &path);
TestResponse httpPost(quint16 port, const QByteArray &path, const QByteArray &body,
                      const QByteArray &contentType = "application/json");

} // namespace atende::test
