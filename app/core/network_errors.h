#pragma once
// Short, translated descriptions of network failures for people (Qt's own strings are only
// translated when Qt's catalogues are installed, and they are rather technical).

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QNetworkReply>
#include <QString>

namespace atende::app::core {

class NetworkErrors {
    Q_DECLARE_TR_FUNCTIONS(atende::app::core::NetworkErrors)
public:
    // `fallback` (Qt's errorString()) is used for the codes without a wording of ours.
    static QString describe(QNetworkReply::NetworkError error, const QString &fallback);
    static QString describe(QAbstractSocket::SocketError error, const QString &fallback);
    static QString timedOut(int timeoutMs);
};

} // namespace atende::app::core
