#include "app/core/network_errors.h"

namespace atende::app::core {

QString NetworkErrors::describe(QNetworkReply::NetworkError error, const QString &fallback)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError: return tr("Connection refused: is the server running?");
    case QNetworkReply::RemoteHostClosedError: return tr("The server closed the connection.");
    case QNetworkReply::HostNotFoundError: return tr("Server name not found.");
    case QNetworkReply::TimeoutError: return tr("The server did not answer in time.");
    case QNetworkReply::SslHandshakeFailedError: return tr("Secure connection failed (TLS handshake).");
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError: return tr("The network is not available.");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError: return tr("The proxy could not be used.");
    default: return fallback;
    }
}

QString NetworkErrors::describe(QAbstractSocket::SocketError error, const QString &fallback)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: return tr("Connection refused: is the server running?");
    case QAbstractSocket::RemoteHostClosedError: return tr("The server closed the connection.");
    case QAbstractSocket::HostNotFoundError: return tr("Server name not found.");
    case QAbstractSocket::SocketTimeoutError: return tr("The server did not answer in time.");
    case QAbstractSocket::SslHandshakeFailedError: return tr("Secure connection failed (TLS handshake).");
    case QAbstractSocket::NetworkError: return tr("The network is not available.");
    default: return fallback;
    }
}

QString NetworkErrors::timedOut(int timeoutMs)
{
    return tr("No answer within %n second(s).", nullptr, qMax(1, (timeoutMs + 999) / 1000));
}

} // namespace atende::app::core
