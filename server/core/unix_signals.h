#pragma once
// Turns SIGTERM/SIGINT into a Qt signal on the main thread (self-pipe + QSocketNotifier): the only
// async-signal-safe way to start a graceful shutdown from a Unix signal.

#include <QObject>

class QSocketNotifier;

namespace atende::server::core {

class UnixSignals : public QObject {
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminateRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace atende::server::core
