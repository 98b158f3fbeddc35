#pragma once
// A ConnectionRunner driven by the test, standing in for whatsapp::Session until the real one is merged
// (the supervisor, its persistence and the API are under test here, not the protocol). Every runner created
// is recorded with the context it got, so tests see what the supervisor asked for.

#include "server/connectors/connection_runner.h"

#include <QList>
#include <QPointer>

namespace atende::test {

class ScriptedRunner : public server::connectors::ConnectionRunner {
    Q_OBJECT
public:
    explicit ScriptedRunner(server::connectors::RunnerContext context)
        : context(std::move(context))
    {}
    void start() override
    {
        started = true;
        enter(QStringLiteral("connecting"), QStringLiteral("started"));
        if (context.credentials.isEmpty()) {
            enter(QStringLiteral("awaiting_qr"), QStringLiteral("registration"));
            Q_EMIT pairingSecret(QStringLiteral("qr"), QStringLiteral("2@scripted-ref,noise,identity,adv"), 60000);
        } else {
            h.connectedAt = QDateTime::currentDateTimeUtc();
            enter(QStringLiteral("connected"), QStringLiteral("login"));
        }
    }
    void stop() override { stopped = true; }
    QCoro::Task<core::Status> requestPairingCode(QString phone) override
    {
        codePhone = phone;
        Q_EMIT pairingSecret(QStringLiteral("code"), QStringLiteral("ABCD-EFGH"), 180000);
        co_return core::Status();
    }
    QCoro::Task<core::Status> logout() override
    {
        loggedOut = true;
        if (logouts)
            ++*logouts;
        co_return core::Status();
    }
    server::connectors::RunnerHealth health() const override { return h; }

    // What the real Session does on these events.
    void enter(const QString &state, const QString &reason)
    {
        h.state = state;
        h.reason = reason;
        h.lastFrameAt = QDateTime::currentDateTimeUtc();
        if (state == QLatin1String("connecting"))
            ++h.reconnects;
        Q_EMIT stateChanged(state, reason);
    }

    server::connectors::RunnerContext context;
    server::connectors::RunnerHealth h;
    bool started = false;
    bool stopped = false;
    bool loggedOut = false;
    int *logouts = nullptr; // survives the runner (the supervisor deletes it after a logout)
    QString codePhone;
};

struct ScriptedRunners {
    QList<QPointer<ScriptedRunner>> created;
    int logouts = 0;
    server::connectors::RunnerFactory factory()
    {
        return [this](const server::connectors::RunnerContext &ctx) {
            auto r = std::make_unique<ScriptedRunner>(ctx);
            r->logouts = &logouts;
            created.append(r.get());
            return std::unique_ptr<server::connectors::ConnectionRunner>(std::move(r));
        };
    }
};

} // namespace atende::test
